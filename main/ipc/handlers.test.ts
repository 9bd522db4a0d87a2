import Conf from 'conf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT,
  startCloudElementsEmulator,
  type CloudElementsEmulator,
} from '../../e2e/emulators/cloud-elements.js';
import { ADMIN_AGENT, startFreshdeskEmulator, type FreshdeskEmulator } from '../../e2e/emulators/freshdesk.js';
import { createCloudElementsClient } from '../services/cloud-elements.js';
import { createFreshdeskClient } from '../services/freshdesk.js';
import { createSecretVault, type KeychainBackend } from '../services/secret-vault.js';
import { openSettings, storeSchema, type Settings } from '../services/settings.js';
import type { ApiMethod } from './channels.js';
import type { ApiRequest } from './contract.js';
import { dispatch } from './dispatch.js';
import { createHandlers, type Handlers } from './handlers.js';

/**
 * The handlers with the real clients, over real HTTP to both emulators: what
 * the wizard's later steps do (existing instances, freshdeskv2, the Freshdesk
 * rule, the test event and watching for it, the export), minus the window.
 */
let cloudElements: CloudElementsEmulator;
let freshdesk: FreshdeskEmulator;
let handlers: Handlers;
let saved: { name: string; content: string }[];

const memoryKeychain = (): KeychainBackend => {
  const entries = new Map<string, string>();
  return {
    getPassword: async (service, account) => entries.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) => void entries.set(`${service}/${account}`, password),
    deletePassword: async (service, account) => entries.delete(`${service}/${account}`),
  };
};

beforeEach(async () => {
  cloudElements = await startCloudElementsEmulator();
  freshdesk = await startFreshdeskEmulator();
  saved = [];
  const settingsDir = mkdtempSync(join(tmpdir(), 'fdea-handlers-'));
  handlers = createHandlers({
    cloudElements: (apiBase, credentials) =>
      createCloudElementsClient({ apiBase, credentials, retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 100 } }),
    freshdesk: (_subdomain, apiKey) => createFreshdeskClient({ baseUrl: freshdesk.baseUrl, apiKey, timeoutMs: 3_000 }),
    writeClipboard: async () => undefined,
    openExternal: async () => undefined,
    saveFile: async (name, content) => {
      saved.push({ name, content });
      return `/tmp/${name}`;
    },
    vault: createSecretVault({ backend: memoryKeychain(), service: 'test' }),
    settings: openSettings(
      () => new Conf<Settings>({ cwd: settingsDir, configName: 'settings', schema: storeSchema() }),
      { filePath: join(settingsDir, 'settings.json') },
    ),
  });
});

afterEach(async () => {
  await cloudElements.close();
  await freshdesk.close();
});

const target = () => ({
  apiBase: cloudElements.baseUrl,
  credentials: {
    source: 'typed' as const,
    userSecret: DEFAULT_ACCOUNT.userSecret,
    orgSecret: DEFAULT_ACCOUNT.orgSecret,
    remember: false,
  },
});

async function ok<M extends ApiMethod>(method: M, request: ApiRequest<M>) {
  const result = await dispatch(handlers, method, request);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.message}`);
  return result.value;
}

describe('existing instances', () => {
  it('lists only Freshdesk instances, newest first, with their events URLs', async () => {
    cloudElements.addInstance({ name: 'older', elementKey: 'freshdesk' });
    cloudElements.addInstance({ name: 'jira', elementKey: 'jira' });
    cloudElements.addInstance({ name: 'v2', elementKey: 'freshdeskv2' });
    const instances = await ok('listInstances', { target: target() });
    expect(instances.map((instance) => [instance.name, instance.elementKey])).toEqual([
      ['v2', 'freshdeskv2'],
      ['older', 'freshdesk'],
    ]);
    expect(instances[1]?.eventsUrl).toBe(`${cloudElements.baseUrl}/events/freshdesk/MjA5MzE=`);
    expect(instances[0]?.eventsUrl).toBe('');
  });

  it('can be cancelled while it waits on a slow server', async () => {
    cloudElements.setFault('slow-trickle', { requests: 'all', delayMs: 500 });
    const listing = dispatch(handlers, 'listInstances', { requestId: 'list-1', target: target() });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await ok('cancelRequest', { requestId: 'list-1' })).toEqual({ cancelled: true });
    expect(await listing).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(await ok('cancelRequest', { requestId: 'list-1' })).toEqual({ cancelled: false });
  });
});

describe('freshdeskv2 tenants', () => {
  it('reports that only the polling element is available', async () => {
    await cloudElements.close();
    cloudElements = await startCloudElementsEmulator({ accounts: [{ ...DEFAULT_ACCOUNT, elements: ['freshdeskv2'] }] });
    const report = await ok('testConnection', target());
    expect(report).toMatchObject({ webhookElementAvailable: false, pollingElementAvailable: true });
  });

  it('creates a polling instance with the chosen interval and resources', async () => {
    const created = await ok('createInstance', {
      target: target(),
      answers: {
        name: 'Freshdesk v2 (acme)',
        tags: [],
        subdomain: 'acme',
        auth: { kind: 'apiKey', apiKey: 'v2-key' },
        rememberFreshdesk: false,
        callbackUrl: 'https://app.example.com/events',
        element: 'freshdeskv2',
        polling: { refreshIntervalMinutes: 5, resources: ['incidents', 'contacts'] },
      },
    });
    expect(created).toMatchObject({ elementKey: 'freshdeskv2', eventsUrl: '' });
    const [stored] = cloudElements.instances();
    expect(stored?.configuration).toMatchObject({
      username: 'v2-key',
      'event.vendor.type': 'polling',
      'event.poller.refresh_interval': '5',
    });
    expect(Object.keys(JSON.parse(stored?.configuration['event.poller.configuration'] ?? '{}') as object)).toEqual([
      'incidents',
      'contacts',
    ]);
  });
});

describe('the Freshdesk rule, the test event and watching for it', () => {
  async function createInstance() {
    return ok('createInstance', {
      target: target(),
      answers: {
        name: 'Freshdesk events (acme)',
        tags: [],
        subdomain: 'acme',
        auth: { kind: 'apiKey', apiKey: ADMIN_AGENT.apiKey },
        rememberFreshdesk: true,
        callbackUrl: 'https://app.example.com/events',
      },
    });
  }

  it('checks the key, creates the rule once and reuses it the second time', async () => {
    const instance = await createInstance();
    expect(await ok('checkFreshdesk', { subdomain: 'acme', auth: { kind: 'saved' } })).toEqual({
      agentName: ADMIN_AGENT.name,
      agentEmail: ADMIN_AGENT.email,
    });
    const first = await ok('createWebhookRule', {
      subdomain: 'acme',
      auth: { kind: 'saved' },
      eventsUrl: instance.eventsUrl,
    });
    expect(first).toMatchObject({ created: true, active: true });
    const second = await ok('createWebhookRule', {
      subdomain: 'acme',
      auth: { kind: 'apiKey', apiKey: ADMIN_AGENT.apiKey },
      eventsUrl: instance.eventsUrl,
    });
    expect(second).toMatchObject({ created: false, id: first.id });
    expect(freshdesk.rules()).toHaveLength(1);
    const [rule] = freshdesk.rules();
    expect(rule?.['actions']).toEqual([
      expect.objectContaining({
        field_name: 'trigger_webhook',
        request_type: 'POST',
        content_type: 'JSON',
        url: instance.eventsUrl,
      }),
    ]);
  });

  it('refuses an events URL with a mistake before calling Freshdesk', async () => {
    const result = await dispatch(handlers, 'createWebhookRule', {
      subdomain: 'acme',
      auth: { kind: 'apiKey', apiKey: ADMIN_AGENT.apiKey },
      eventsUrl: `${cloudElements.baseUrl}/events/freshdesk/MjA5MzEK`,
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input', field: 'eventsUrl' } });
    expect(freshdesk.requests()).toEqual([]);
  });

  it('sends a Freshdesk-style test event that then shows in the received events', async () => {
    const instance = await createInstance();
    expect(await ok('listReceivedEvents', { target: target(), instanceId: instance.id })).toEqual({ events: [] });
    expect(await ok('sendTestEvent', { eventsUrl: instance.eventsUrl, subdomain: 'acme' })).toEqual({ status: 200 });
    const [event] = cloudElements.receivedEvents();
    expect(event?.contentType).toBe('application/json');
    expect(JSON.parse(event?.body ?? '{}')).toMatchObject({ freshdesk_webhook: { ticket_id: '42' } });
    const listed = await ok('listReceivedEvents', { target: target(), instanceId: instance.id });
    expect(listed.events).toEqual([{ id: '1', status: 'RECEIVED', createdDate: expect.any(String) }]);
  });

  it('says when the events URL points at no instance', async () => {
    const result = await dispatch(handlers, 'sendTestEvent', {
      eventsUrl: `${cloudElements.baseUrl}/events/freshdesk/OTk5OTk=`,
      subdomain: 'acme',
    });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('no instance matches') } });
  });
});

describe('export', () => {
  it('writes Markdown and JSON summaries with no secret in them', async () => {
    const summary = {
      apiBase: 'https://api.cloud-elements.com/elements/api-v2',
      subdomain: 'acme',
      elementKey: 'freshdesk',
      instanceId: '20931',
      instanceName: 'Freshdesk events (acme)',
      encodedId: 'MjA5MzE=',
      eventsUrl: 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=',
      callbackUrl: 'https://app.example.com/events',
      rule: { id: 109866, name: 'Cloud Elements events (freshdesk)', created: true },
    };
    expect(await ok('exportSummary', { format: 'markdown', summary })).toEqual({
      saved: true,
      path: '/tmp/freshdesk-events-20931.md',
    });
    expect(await ok('exportSummary', { format: 'json', summary })).toMatchObject({ saved: true });
    expect(saved[0]?.content).toContain(
      '| Events URL (in the Freshdesk rule) | `https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=` |',
    );
    expect(JSON.parse(saved[1]?.content ?? '{}')).toEqual(summary);
    const smuggled = await dispatch(handlers, 'exportSummary', {
      format: 'json',
      summary: { ...summary, userSecret: DEFAULT_ACCOUNT.userSecret },
    });
    expect(smuggled).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(saved).toHaveLength(2);
  });
});
