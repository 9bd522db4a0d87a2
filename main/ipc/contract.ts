import { z } from 'zod';
import type { ErrorKind, FieldProblem } from '../core/errors.js';
import type { CreatedInstance } from '../core/instance-summary.js';
import type { ApiMethod } from './channels.js';

export type { CreatedInstance, InstanceSummary } from '../core/instance-summary.js';

/**
 * The one typed contract between the renderer and the main process: each
 * method's request schema (checked in main on every message) and response
 * type. The renderer imports this file for types only.
 */

const secret = z.string().max(4096);
const text = z.string().max(2048);

/** Where the Cloud Elements API is: a host (`api.cloud-elements.co.uk`) or a whole base URL. */
const cloudElementsTarget = z.strictObject({
  apiBase: text,
  userSecret: secret,
  orgSecret: secret,
});

const freshdeskAuth = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('apiKey'), apiKey: secret }),
  z.strictObject({ kind: z.literal('password'), username: text, password: secret }),
]);

export const requestSchemas = {
  testConnection: cloudElementsTarget,
  createInstance: z.strictObject({
    target: cloudElementsTarget,
    answers: z.strictObject({
      name: text,
      tags: z.array(text).max(50),
      subdomain: text,
      auth: freshdeskAuth,
      callbackUrl: text,
    }),
  }),
  writeClipboard: z.strictObject({ text: z.string().max(100_000) }),
  openExternal: z.strictObject({ url: text }),
} satisfies Record<ApiMethod, z.ZodType>;

export type ApiRequest<M extends ApiMethod> = z.infer<(typeof requestSchemas)[M]>;

export interface ConnectionReport {
  apiBase: string;
  /** The webhook-based `freshdesk` element is available to this account. */
  webhookElementAvailable: boolean;
}

export interface ApiResponses {
  testConnection: ConnectionReport;
  createInstance: CreatedInstance;
  writeClipboard: { written: true };
  openExternal: { opened: true };
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
