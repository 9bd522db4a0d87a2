import { apiBaseFromHost, hostOf, type ApiBase } from '../core/api-base.js';
import { AppError, type FieldProblem } from '../core/errors.js';
import { POLLING_ELEMENTS, WEBHOOK_ELEMENT } from '../core/events-url.js';
import { isAllowedExternalUrl } from '../core/external-links.js';
import { buildInstanceRequest, type FreshdeskAuth } from '../core/instance-request.js';
import { cleanSecret } from '../core/secrets.js';
import { summaryJson, summaryMarkdown } from '../core/setup-summary.js';
import { normalizeSubdomain, type Subdomain } from '../core/subdomain.js';
import { checkEventsUrl, sampleWebhookPayload } from '../core/webhook-rule.js';
import { postTestEvent, type CloudElementsClient, type CloudElementsCredentials } from '../services/cloud-elements.js';
import type { FreshdeskClient } from '../services/freshdesk.js';
import type { SecretVault } from '../services/secret-vault.js';
import type { SettingsService } from '../services/settings.js';
import type { ApiMethod } from './channels.js';
import type { ApiRequest, ApiResponses, KeychainOutcome, KeychainStatus } from './contract.js';

/** The I/O the handlers need, injected so the same logic runs in Electron and behind the e2e harness. */
const [POLLING_ELEMENT = 'freshdeskv2'] = POLLING_ELEMENTS;

export interface HandlerDeps {
  cloudElements(apiBase: ApiBase, credentials: CloudElementsCredentials): CloudElementsClient;
  writeClipboard(text: string): Promise<void>;
  /** Opens a URL in the user's browser; only called for allow-listed URLs. */
  openExternal(url: string): Promise<void>;
  /** A Freshdesk API client for the account (https://SUB.freshdesk.com in the app; the emulator in tests). */
  freshdesk(subdomain: Subdomain, apiKey: string): FreshdeskClient;
  /** Asks where to save (the save dialog) and writes the file; undefined when the user cancels. */
  saveFile(suggestedName: string, content: string): Promise<string | undefined>;
  vault: SecretVault;
  settings: SettingsService;
  now?: () => Date;
}

/** One function per contract method; they throw AppError, which dispatch turns into a result. */
export type Handlers = { [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResponses[M]> };

type Target = Omit<ApiRequest<'testConnection'>, 'requestId'>;
type TypedAuth = Exclude<ApiRequest<'createInstance'>['answers']['auth'], { kind: 'saved' }>;

export function createHandlers(deps: HandlerDeps): Handlers {
  const { vault, settings } = deps;
  /** Creations in flight by API base and name: a second click joins the first request instead of sending another. */
  const creating = new Map<string, Promise<ApiResponses['createInstance']>>();
  /** Calls the user can cancel, by the request id the renderer gave them. */
  const running = new Map<string, AbortController>();

  async function cancellable<T>(requestId: string | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (requestId !== undefined) running.set(requestId, controller);
    try {
      return await run(controller.signal);
    } finally {
      if (requestId !== undefined && running.get(requestId) === controller) running.delete(requestId);
    }
  }

  function subdomainOf(input: string): Subdomain {
    const bare = normalizeSubdomain(input);
    if (!bare.ok) throw new AppError('invalid-input', bare.message, { field: 'subdomain' });
    return bare.value;
  }

  /** The Freshdesk API key: typed, or saved for the subdomain. The Freshdesk API takes a key, not a password. */
  async function freshdeskClient(subdomain: Subdomain, auth: ApiRequest<'checkFreshdesk'>['auth']) {
    let apiKey: string;
    if (auth.kind === 'apiKey') {
      const cleaned = cleanSecret(auth.apiKey, 'apiKey');
      if (!cleaned.ok) throw new AppError('invalid-input', cleaned.message, { field: 'apiKey' });
      apiKey = cleaned.value;
    } else {
      const saved = await vault.readFreshdesk(subdomain);
      if (!saved)
        throw new AppError('credentials', 'No Freshdesk credentials are saved for this subdomain: enter the API key.', {
          field: 'apiKey',
        });
      if (saved.kind !== 'apiKey') {
        throw new AppError(
          'credentials',
          'Creating the rule needs a Freshdesk API key (Profile settings > Your API key); the saved credentials are a username and password.',
          { field: 'apiKey' },
        );
      }
      apiKey = saved.apiKey;
    }
    return deps.freshdesk(subdomain, apiKey);
  }

  /**
   * Checks the target and signs in: typed secrets are cleaned (whitespace around
   * them dropped, a pasted header or prefix named), saved ones read from the keychain.
   */
  async function connect(
    target: Target,
  ): Promise<{ apiBase: ApiBase; client: CloudElementsClient; typed: CloudElementsCredentials | undefined }> {
    const apiBase = apiBaseFromHost(target.apiBase);
    const problems: FieldProblem[] = [];
    if (!apiBase.ok) problems.push({ field: 'apiBase', message: apiBase.message });
    const given = target.credentials;
    let typed: CloudElementsCredentials | undefined;
    if (given.source === 'typed') {
      const userSecret = cleanSecret(given.userSecret, 'userSecret');
      const orgSecret = cleanSecret(given.orgSecret, 'orgSecret');
      if (!userSecret.ok) problems.push({ field: 'userSecret', message: userSecret.message });
      if (!orgSecret.ok) problems.push({ field: 'orgSecret', message: orgSecret.message });
      if (userSecret.ok && orgSecret.ok) typed = { userSecret: userSecret.value, orgSecret: orgSecret.value };
    }
    if (problems.length > 0 || !apiBase.ok) throw invalid(problems);
    const credentials = typed ?? (await savedCloudElements(apiBase.value));
    return { apiBase: apiBase.value, client: deps.cloudElements(apiBase.value, credentials), typed };
  }

  async function savedCloudElements(apiBase: ApiBase): Promise<CloudElementsCredentials> {
    const saved = await vault.readCloudElements(hostOf(apiBase));
    if (!saved) {
      throw new AppError(
        'credentials',
        `No Cloud Elements secrets are saved for ${hostOf(apiBase)}: type them on the Connect step.`,
        { field: 'userSecret' },
      );
    }
    return saved;
  }

  async function freshdeskAuth(auth: ApiRequest<'createInstance'>['answers']['auth'], subdomain: string) {
    if (auth.kind !== 'saved') return auth;
    const bare = normalizeSubdomain(subdomain);
    const saved = bare.ok ? await vault.readFreshdesk(bare.value) : undefined;
    if (!saved) {
      throw new AppError('credentials', 'No Freshdesk credentials are saved for this subdomain: type them again.', {
        field: 'apiKey',
      });
    }
    return saved;
  }

  /** Saves typed secrets once a call proved them right; a keychain failure is reported, never fatal. */
  async function remember(save: () => Promise<void>): Promise<KeychainOutcome> {
    try {
      await save();
      return { state: 'saved' };
    } catch (error) {
      return { state: 'failed', message: error instanceof Error ? error.message : 'The OS keychain is not usable.' };
    }
  }

  /** Saves the (cleaned) typed secrets for the host when the user asked to remember them. */
  async function rememberCloudElements(
    target: Target,
    apiBase: ApiBase,
    typed: CloudElementsCredentials | undefined,
  ): Promise<KeychainOutcome> {
    const given = target.credentials;
    if (given.source !== 'typed' || !given.remember || !typed) return { state: 'not-requested' };
    return remember(() => vault.saveCloudElements(hostOf(apiBase), typed));
  }

  async function keychainStatus(): Promise<KeychainStatus> {
    return vault.check();
  }

  return {
    async testConnection({ requestId, ...target }) {
      return cancellable(requestId, async (signal) => {
        const { apiBase, client, typed } = await connect(target);
        const webhookElementAvailable = await client.hasElement(WEBHOOK_ELEMENT, { signal });
        const pollingElementAvailable = webhookElementAvailable
          ? false
          : await client.hasElement(POLLING_ELEMENT, { signal });
        const keychain = await rememberCloudElements(target, apiBase, typed);
        return { apiBase, webhookElementAvailable, pollingElementAvailable, keychain };
      });
    },

    async createInstance({ requestId, target, answers }) {
      // Cancellable from the first moment: reading saved secrets and the name check come before the POST.
      return cancellable(requestId, async (signal) => {
        const { apiBase, client, typed: typedSecrets } = await connect(target);
        const auth: FreshdeskAuth = await freshdeskAuth(answers.auth, answers.subdomain);
        const request = buildInstanceRequest({ ...answers, auth });
        if (!request.ok) throw invalid(request.problems);
        const key = `${apiBase}\n${request.body.name}`;
        const running = creating.get(key);
        if (running) return running;
        const created = (async () => {
          const instance = await client.createInstance(request.body, { signal });
          const keychain = await rememberCloudElements(target, apiBase, typedSecrets);
          const typedAuth = answers.auth.kind === 'saved' ? undefined : cleanedAuth(answers.auth);
          const subdomain = String(request.body.configuration['subdomain'] ?? '');
          const freshdeskKeychain =
            typedAuth && answers.rememberFreshdesk
              ? await remember(() => vault.saveFreshdesk(subdomain, typedAuth))
              : ({ state: 'not-requested' } as const);
          return { ...instance, keychain, freshdeskKeychain };
        })().finally(() => creating.delete(key));
        creating.set(key, created);
        return created;
      });
    },

    async writeClipboard({ text }) {
      await deps.writeClipboard(text);
      return { written: true };
    },

    async openExternal({ url }) {
      if (!isAllowedExternalUrl(url)) {
        throw new AppError(
          'invalid-input',
          'The app only opens https links to your Freshdesk account or the Cloud Elements documentation.',
        );
      }
      await deps.openExternal(url);
      return { opened: true };
    },

    async loadSession() {
      return { settings: settings.read(), notice: settings.notice?.message, keychain: await keychainStatus() };
    },

    async saveProgress(patch) {
      settings.update(patch);
      return { saved: true };
    },

    async savedSecrets({ apiBase, subdomain }) {
      const keychain = await keychainStatus();
      if (!keychain.usable) return { cloudElements: false, freshdesk: false, keychain };
      const base = apiBaseFromHost(apiBase);
      const bare = normalizeSubdomain(subdomain);
      const [cloudElements, freshdesk] = await Promise.all([
        base.ok ? vault.readCloudElements(hostOf(base.value)).then(Boolean) : false,
        bare.ok ? vault.readFreshdesk(bare.value).then(Boolean) : false,
      ]);
      return { cloudElements, freshdesk, keychain };
    },

    async forgetSecrets({ apiBase, subdomain }) {
      if (apiBase !== undefined) {
        const base = apiBaseFromHost(apiBase);
        if (!base.ok) throw new AppError('invalid-input', base.message, { field: 'apiBase' });
        await vault.forgetCloudElements(hostOf(base.value));
      }
      if (subdomain !== undefined) {
        const bare = normalizeSubdomain(subdomain);
        if (!bare.ok) throw new AppError('invalid-input', bare.message, { field: 'subdomain' });
        await vault.forgetFreshdesk(bare.value);
      }
      return { forgotten: true };
    },

    async listInstances({ requestId, target }) {
      return cancellable(requestId, async (signal) => {
        const { client } = await connect(target);
        const instances = await client.listInstances({ signal });
        return instances
          .filter((instance) => instance.elementKey === WEBHOOK_ELEMENT || instance.elementKey === POLLING_ELEMENT)
          .sort((a, b) => (b.createdDate ?? '').localeCompare(a.createdDate ?? '') || compareIds(b.id, a.id));
      });
    },

    async cancelRequest({ requestId }) {
      const controller = running.get(requestId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },

    async checkFreshdesk({ requestId, subdomain, auth }) {
      return cancellable(requestId, async (signal) => {
        const client = await freshdeskClient(subdomainOf(subdomain), auth);
        const agent = await client.me({ signal });
        return { agentName: agent.name, agentEmail: agent.email };
      });
    },

    async createWebhookRule({ requestId, subdomain, auth, eventsUrl, name }) {
      const url = checkEventsUrl(eventsUrl);
      if (!url.ok) throw new AppError('invalid-input', url.message, { field: 'eventsUrl' });
      return cancellable(requestId, async (signal) => {
        const client = await freshdeskClient(subdomainOf(subdomain), auth);
        const { rule, created, warnings } = await client.ensureWebhookRule(url.value, {
          signal,
          ...(name === undefined ? {} : { name }),
        });
        return { id: rule.id, name: rule.name, active: rule.active, created, warnings };
      });
    },

    async sendTestEvent({ requestId, eventsUrl, subdomain }) {
      const url = checkEventsUrl(eventsUrl);
      if (!url.ok) throw new AppError('invalid-input', url.message, { field: 'eventsUrl' });
      const bare = normalizeSubdomain(subdomain);
      const payload = sampleWebhookPayload(bare.ok ? bare.value : undefined);
      return cancellable(requestId, (signal) => postTestEvent(url.value, payload, { signal }));
    },

    async listReceivedEvents({ requestId, target, instanceId }) {
      return cancellable(requestId, async (signal) => {
        const { client } = await connect(target);
        return { events: await client.listEvents(instanceId, { signal }) };
      });
    },

    async exportSummary({ format, summary }) {
      const content = format === 'markdown' ? summaryMarkdown(summary) : summaryJson(summary);
      const path = await deps.saveFile(
        `freshdesk-events-${summary.instanceId}.${format === 'markdown' ? 'md' : 'json'}`,
        content,
      );
      return path === undefined ? { saved: false } : { saved: true, path };
    },

    async recordFinishedSetup(setup) {
      settings.recordFinishedSetup({ ...setup, finishedAt: (deps.now?.() ?? new Date()).toISOString() });
      return { recorded: true };
    },
  };
}

/** Typed Freshdesk credentials as they were sent (the API key cleaned the same way buildInstanceRequest cleans it). */
function cleanedAuth(auth: TypedAuth): FreshdeskAuth {
  if (auth.kind !== 'apiKey') return auth;
  const key = cleanSecret(auth.apiKey, 'apiKey');
  return { kind: 'apiKey', apiKey: key.ok ? key.value : auth.apiKey };
}

/** Orders decimal-digit ids numerically without turning them into floats. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || a.localeCompare(b);
}

function invalid(problems: FieldProblem[]): AppError {
  const first = problems[0];
  const message = problems.length === 1 && first ? first.message : `${problems.length} entries need attention.`;
  return new AppError('invalid-input', message, { problems, ...(first ? { field: first.field } : {}) });
}
