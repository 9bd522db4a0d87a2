import type { ApiMethod } from '../main/ipc/channels.js';
import type { Api, ApiRequest, ApiResponses, ApiResult } from '../main/ipc/contract.js';

declare global {
  interface Window {
    /** The preload's typed bridge: the only way the renderer reaches the main process. */
    api: Api;
  }
}

/**
 * Calls one bridge method and always resolves to an ApiResult: a missing
 * bridge or a rejected IPC call becomes a failure the UI can show, never an
 * unhandled exception.
 */
async function call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResult<ApiResponses[M]>> {
  const bridge: Partial<Api> | undefined = window.api;
  const fn = bridge?.[method] as ((request: ApiRequest<M>) => Promise<ApiResult<ApiResponses[M]>>) | undefined;
  if (fn === undefined) {
    return { ok: false, error: { kind: 'internal', message: 'The app bridge is not available: restart the app.' } };
  }
  try {
    return await fn(request);
  } catch {
    return { ok: false, error: { kind: 'internal', message: 'The app could not complete the request: try again.' } };
  }
}

export const api = {
  testConnection: (request: ApiRequest<'testConnection'>) => call('testConnection', request),
  createInstance: (request: ApiRequest<'createInstance'>) => call('createInstance', request),
  writeClipboard: (request: ApiRequest<'writeClipboard'>) => call('writeClipboard', request),
  openExternal: (request: ApiRequest<'openExternal'>) => call('openExternal', request),
  loadSession: (request: ApiRequest<'loadSession'>) => call('loadSession', request),
  saveProgress: (request: ApiRequest<'saveProgress'>) => call('saveProgress', request),
  savedSecrets: (request: ApiRequest<'savedSecrets'>) => call('savedSecrets', request),
  forgetSecrets: (request: ApiRequest<'forgetSecrets'>) => call('forgetSecrets', request),
  recordFinishedSetup: (request: ApiRequest<'recordFinishedSetup'>) => call('recordFinishedSetup', request),
  listInstances: (request: ApiRequest<'listInstances'>) => call('listInstances', request),
  cancelRequest: (request: ApiRequest<'cancelRequest'>) => call('cancelRequest', request),
  checkFreshdesk: (request: ApiRequest<'checkFreshdesk'>) => call('checkFreshdesk', request),
  createWebhookRule: (request: ApiRequest<'createWebhookRule'>) => call('createWebhookRule', request),
  sendTestEvent: (request: ApiRequest<'sendTestEvent'>) => call('sendTestEvent', request),
  listReceivedEvents: (request: ApiRequest<'listReceivedEvents'>) => call('listReceivedEvents', request),
  exportSummary: (request: ApiRequest<'exportSummary'>) => call('exportSummary', request),
} satisfies Record<ApiMethod, unknown>;
