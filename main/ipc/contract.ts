import { z } from 'zod';
import type { ErrorKind, FieldProblem } from '../core/errors.js';
import { POLLING_RESOURCES } from '../core/instance-request.js';
import type { CreatedInstance, InstanceSummary } from '../core/instance-summary.js';
import { settingsPatchSchema, type Settings } from '../services/settings.js';
import type { ApiMethod } from './channels.js';

export type { CreatedInstance, InstanceSummary } from '../core/instance-summary.js';

/**
 * The one typed contract between the renderer and the main process: each
 * method's request schema (checked in main on every message) and response
 * type. The renderer imports this file for types only.
 */

const secret = z.string().max(4096);
const text = z.string().max(2048);

/**
 * Cloud Elements secrets: typed in the form (and saved to the OS keychain
 * after they are accepted, when `remember` is on), or the ones already saved
 * for this host, which the renderer never sees.
 */
const cloudElementsCredentials = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('typed'), userSecret: secret, orgSecret: secret, remember: z.boolean() }),
  z.strictObject({ source: z.literal('saved') }),
]);

/** Where the Cloud Elements API is (a host such as `api.cloud-elements.co.uk`, or a whole base URL) and how to sign in. */
const cloudElementsTarget = z.strictObject({
  apiBase: text,
  credentials: cloudElementsCredentials,
});

/** Freshdesk credentials for the instance: typed, or the ones saved for this subdomain. */
const freshdeskAuth = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('apiKey'), apiKey: secret }),
  z.strictObject({ kind: z.literal('password'), username: text, password: secret }),
  z.strictObject({ kind: z.literal('saved') }),
]);

const hostAndSubdomain = z.strictObject({ apiBase: text, subdomain: text });

/** Set on calls the user can cancel; cancelRequest names it. */
const requestIdSchema = z.string().regex(/^[\w-]{1,64}$/);
const requestId = requestIdSchema.optional();

const freshdeskKey = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('apiKey'), apiKey: secret }),
  z.strictObject({ kind: z.literal('saved') }),
]);

const setupSummary = z.strictObject({
  apiBase: text,
  subdomain: text,
  elementKey: text,
  instanceId: z.string().regex(/^\d{1,30}$/),
  instanceName: text,
  encodedId: text,
  eventsUrl: text,
  callbackUrl: text,
  rule: z.strictObject({ id: z.number().int(), name: text, created: z.boolean() }).optional(),
});

export const requestSchemas = {
  testConnection: cloudElementsTarget.extend({ requestId }),
  createInstance: z.strictObject({
    requestId,
    target: cloudElementsTarget,
    answers: z.strictObject({
      name: text,
      tags: z.array(text).max(50),
      subdomain: text,
      auth: freshdeskAuth,
      /** Save typed Freshdesk credentials in the OS keychain once the instance is created. */
      rememberFreshdesk: z.boolean(),
      callbackUrl: text,
      element: z.enum(['freshdesk', 'freshdeskv2']).optional(),
      polling: z
        .strictObject({
          refreshIntervalMinutes: z.number(),
          resources: z.array(z.enum(POLLING_RESOURCES)).max(POLLING_RESOURCES.length),
        })
        .optional(),
    }),
  }),
  loadSession: z.strictObject({}),
  saveProgress: settingsPatchSchema,
  savedSecrets: hostAndSubdomain,
  forgetSecrets: z.strictObject({ apiBase: text.optional(), subdomain: text.optional() }),
  recordFinishedSetup: z.strictObject({
    apiBase: text,
    subdomain: text,
    instanceId: z.string().regex(/^\d{1,30}$/),
    instanceName: text,
    eventsUrl: text,
  }),
  writeClipboard: z.strictObject({ text: z.string().max(100_000) }),
  openExternal: z.strictObject({ url: text }),
  listInstances: z.strictObject({ requestId, target: cloudElementsTarget }),
  cancelRequest: z.strictObject({ requestId: requestIdSchema }),
  checkFreshdesk: z.strictObject({ requestId, subdomain: text, auth: freshdeskKey }),
  createWebhookRule: z.strictObject({
    requestId,
    subdomain: text,
    auth: freshdeskKey,
    eventsUrl: text,
    name: text.optional(),
  }),
  sendTestEvent: z.strictObject({ requestId, eventsUrl: text, subdomain: text }),
  listReceivedEvents: z.strictObject({
    requestId,
    target: cloudElementsTarget,
    instanceId: z.string().regex(/^\d{1,30}$/),
  }),
  exportSummary: z.strictObject({ format: z.enum(['markdown', 'json']), summary: setupSummary }),
} satisfies Record<ApiMethod, z.ZodType>;

export type ApiRequest<M extends ApiMethod> = z.infer<(typeof requestSchemas)[M]>;

export interface ConnectionReport {
  apiBase: string;
  /** The webhook-based `freshdesk` element is available to this account. */
  webhookElementAvailable: boolean;
  /** The polling `freshdeskv2` element is available (asked only when `freshdesk` is not). */
  pollingElementAvailable: boolean;
}

export interface WebhookRuleResult {
  id: number;
  name: string;
  active: boolean;
  /** False when a rule already posting to the events URL was found and reused. */
  created: boolean;
  warnings: string[];
}

/** Whether typed secrets were saved in the OS keychain after a successful call. */
export type KeychainOutcome =
  | { state: 'saved' }
  | { state: 'not-requested' }
  /** The keychain cannot be used: the message says why and how to fix it; the secrets stay in memory for this run. */
  | { state: 'failed'; message: string };

export type KeychainStatus = { usable: true } | { usable: false; message: string };

export interface Session {
  settings: Settings;
  /** Said once when the settings file was unreadable and set aside. */
  notice: string | undefined;
  keychain: KeychainStatus;
}

export interface ApiResponses {
  testConnection: ConnectionReport & { keychain: KeychainOutcome };
  createInstance: CreatedInstance & { keychain: KeychainOutcome; freshdeskKeychain: KeychainOutcome };
  writeClipboard: { written: true };
  openExternal: { opened: true };
  loadSession: Session;
  saveProgress: { saved: true };
  /** Which secrets exist in the keychain for this host and subdomain: never the secrets themselves. */
  savedSecrets: { cloudElements: boolean; freshdesk: boolean; keychain: KeychainStatus };
  forgetSecrets: { forgotten: true };
  recordFinishedSetup: { recorded: true };
  /** The account's Freshdesk instances (freshdesk and freshdeskv2), newest first. */
  listInstances: InstanceSummary[];
  cancelRequest: { cancelled: boolean };
  checkFreshdesk: { agentName: string; agentEmail: string };
  createWebhookRule: WebhookRuleResult;
  sendTestEvent: { status: number };
  listReceivedEvents: { events: { id: string; status: string; createdDate: string | undefined }[] };
  /** `path` is where the file was written; `saved: false` when the user closed the save dialog. */
  exportSummary: { saved: true; path: string } | { saved: false };
}

/** A failure as the renderer sees it: a safe message, never a secret, never a stack. */
export interface ApiFailure {
  kind: ErrorKind | 'internal';
  message: string;
  field?: string | undefined;
  problems?: FieldProblem[] | undefined;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

/** The shape of `window.api`, built by the preload from CHANNELS. */
export type Api = {
  [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResult<ApiResponses[M]>>;
};
