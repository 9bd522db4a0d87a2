import { apiBaseFromHost, hostOf, type ApiBase } from '../core/api-base.js';
import { AppError, type FieldProblem } from '../core/errors.js';
import { WEBHOOK_ELEMENT } from '../core/events-url.js';
import { isAllowedExternalUrl } from '../core/external-links.js';
import { buildInstanceRequest, type FreshdeskAuth } from '../core/instance-request.js';
import { normalizeSubdomain } from '../core/subdomain.js';
import type { CloudElementsClient, CloudElementsCredentials } from '../services/cloud-elements.js';
import type { SecretVault } from '../services/secret-vault.js';
import type { SettingsService } from '../services/settings.js';
import type { ApiMethod } from './channels.js';
import type { ApiRequest, ApiResponses, KeychainOutcome, KeychainStatus } from './contract.js';

/** The I/O the handlers need, injected so the same logic runs in Electron and behind the e2e harness. */
export interface HandlerDeps {
  cloudElements(apiBase: ApiBase, credentials: CloudElementsCredentials): CloudElementsClient;
  writeClipboard(text: string): Promise<void>;
  /** Opens a URL in the user's browser; only called for allow-listed URLs. */
  openExternal(url: string): Promise<void>;
  vault: SecretVault;
  settings: SettingsService;
  now?: () => Date;
}

/** One function per contract method; they throw AppError, which dispatch turns into a result. */
export type Handlers = { [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResponses[M]> };

type Target = ApiRequest<'testConnection'>;
type TypedAuth = Exclude<ApiRequest<'createInstance'>['answers']['auth'], { kind: 'saved' }>;

export function createHandlers(deps: HandlerDeps): Handlers {
  const { vault, settings } = deps;
  /** Creations in flight by API base and name: a second click joins the first request instead of sending another. */
  const creating = new Map<string, Promise<ApiResponses['createInstance']>>();

  async function connect(target: Target): Promise<{ apiBase: ApiBase; client: CloudElementsClient }> {
    const apiBase = apiBaseFromHost(target.apiBase);
    const problems: FieldProblem[] = [];
    if (!apiBase.ok) problems.push({ field: 'apiBase', message: apiBase.message });
    const given = target.credentials;
    if (given.source === 'typed') {
      if (given.userSecret.trim() === '') {
        problems.push({
          field: 'userSecret',
          message: 'Enter the user secret (Cloud Elements: your profile > Secrets).',
        });
      }
      if (given.orgSecret.trim() === '') {
        problems.push({
          field: 'orgSecret',
          message: 'Enter the organization secret (shown next to the user secret).',
        });
      }
    }
    if (problems.length > 0 || !apiBase.ok) throw invalid(problems);
    const credentials = given.source === 'typed' ? given : await savedCloudElements(apiBase.value);
    return { apiBase: apiBase.value, client: deps.cloudElements(apiBase.value, credentials) };
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

  async function rememberCloudElements(target: Target, apiBase: ApiBase): Promise<KeychainOutcome> {
    const given = target.credentials;
    if (given.source !== 'typed' || !given.remember) return { state: 'not-requested' };
    const secrets = { userSecret: given.userSecret, orgSecret: given.orgSecret };
    return remember(() => vault.saveCloudElements(hostOf(apiBase), secrets));
  }

  async function keychainStatus(): Promise<KeychainStatus> {
    return vault.check();
  }

  return {
    async testConnection(target) {
      const { apiBase, client } = await connect(target);
      const webhookElementAvailable = await client.hasElement(WEBHOOK_ELEMENT);
      return { apiBase, webhookElementAvailable, keychain: await rememberCloudElements(target, apiBase) };
    },

    async createInstance({ target, answers }) {
      const { apiBase, client } = await connect(target);
      const auth: FreshdeskAuth = await freshdeskAuth(answers.auth, answers.subdomain);
      const request = buildInstanceRequest({ ...answers, auth });
      if (!request.ok) throw invalid(request.problems);
      const key = `${apiBase}\n${request.body.name}`;
      const running = creating.get(key);
      if (running) return running;
      const created = (async () => {
        const instance = await client.createInstance(request.body);
        const keychain = await rememberCloudElements(target, apiBase);
        const typed: TypedAuth | undefined = answers.auth.kind === 'saved' ? undefined : answers.auth;
        const subdomain = request.body.configuration['subdomain'] ?? '';
        const freshdeskKeychain =
          typed && answers.rememberFreshdesk
            ? await remember(() => vault.saveFreshdesk(subdomain, typed))
            : ({ state: 'not-requested' } as const);
        return { ...instance, keychain, freshdeskKeychain };
      })().finally(() => creating.delete(key));
      creating.set(key, created);
      return created;
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

    async recordFinishedSetup(setup) {
      settings.recordFinishedSetup({ ...setup, finishedAt: (deps.now?.() ?? new Date()).toISOString() });
      return { recorded: true };
    },
  };
}

function invalid(problems: FieldProblem[]): AppError {
  const first = problems[0];
  const message = problems.length === 1 && first ? first.message : `${problems.length} entries need attention.`;
  return new AppError('invalid-input', message, { problems, ...(first ? { field: first.field } : {}) });
}
