import { apiBaseFromHost, type ApiBase } from '../core/api-base.js';
import { AppError, type FieldProblem } from '../core/errors.js';
import { isAllowedExternalUrl } from '../core/external-links.js';
import { buildInstanceRequest } from '../core/instance-request.js';
import { WEBHOOK_ELEMENT } from '../core/events-url.js';
import type { CloudElementsClient, CloudElementsCredentials } from '../services/cloud-elements.js';
import type { ApiMethod } from './channels.js';
import type { ApiRequest, ApiResponses } from './contract.js';

/** The I/O the handlers need, injected so the same logic runs in Electron and behind the e2e harness. */
export interface HandlerDeps {
  cloudElements(apiBase: ApiBase, credentials: CloudElementsCredentials): CloudElementsClient;
  writeClipboard(text: string): Promise<void>;
  /** Opens a URL in the user's browser; only called for allow-listed URLs. */
  openExternal(url: string): Promise<void>;
}

/** One function per contract method; they throw AppError, which dispatch turns into a result. */
export type Handlers = { [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResponses[M]> };

type Target = ApiRequest<'testConnection'>;

export function createHandlers(deps: HandlerDeps): Handlers {
  /** Creations in flight by API base and name: a second click joins the first request instead of sending another. */
  const creating = new Map<string, Promise<ApiResponses['createInstance']>>();

  function connect(target: Target): { apiBase: ApiBase; client: CloudElementsClient } {
    const problems: FieldProblem[] = [];
    const apiBase = apiBaseFromHost(target.apiBase);
    if (!apiBase.ok) problems.push({ field: 'apiBase', message: apiBase.message });
    if (target.userSecret.trim() === '') {
      problems.push({
        field: 'userSecret',
        message: 'Enter the user secret (Cloud Elements: your profile > Secrets).',
      });
    }
    if (target.orgSecret.trim() === '') {
      problems.push({ field: 'orgSecret', message: 'Enter the organization secret (shown next to the user secret).' });
    }
    if (problems.length > 0 || !apiBase.ok) throw invalid(problems);
    const credentials = { userSecret: target.userSecret, orgSecret: target.orgSecret };
    return { apiBase: apiBase.value, client: deps.cloudElements(apiBase.value, credentials) };
  }

  return {
    async testConnection(target) {
      const { apiBase, client } = connect(target);
      const webhookElementAvailable = await client.hasElement(WEBHOOK_ELEMENT);
      return { apiBase, webhookElementAvailable };
    },

    async createInstance({ target, answers }) {
      const { apiBase, client } = connect(target);
      const request = buildInstanceRequest(answers);
      if (!request.ok) throw invalid(request.problems);
      const key = `${apiBase}\n${request.body.name}`;
      const running = creating.get(key);
      if (running) return running;
      const created = client.createInstance(request.body).finally(() => creating.delete(key));
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
  };
}

function invalid(problems: FieldProblem[]): AppError {
  const first = problems[0];
  const message = problems.length === 1 && first ? first.message : `${problems.length} entries need attention.`;
  return new AppError('invalid-input', message, { problems, ...(first ? { field: first.field } : {}) });
}
