/**
 * The bridge's method names and their IPC channels: the single list that the
 * preload turns into `window.api` and the main process registers. Plain data,
 * so the sandboxed preload can bundle it without anything else.
 */
export const CHANNELS = {
  testConnection: 'cloud-elements:test-connection',
  createInstance: 'cloud-elements:create-instance',
  writeClipboard: 'clipboard:write-text',
  openExternal: 'shell:open-external',
  loadSession: 'session:load',
  saveProgress: 'settings:save-progress',
  savedSecrets: 'keychain:saved-secrets',
  forgetSecrets: 'keychain:forget',
  recordFinishedSetup: 'settings:record-finished-setup',
  listInstances: 'cloud-elements:list-instances',
  cancelRequest: 'request:cancel',
  checkFreshdesk: 'freshdesk:check',
  createWebhookRule: 'freshdesk:create-webhook-rule',
  sendTestEvent: 'events:send-test',
  listReceivedEvents: 'events:list-received',
  exportSummary: 'summary:export',
} as const;

export type ApiMethod = keyof typeof CHANNELS;
