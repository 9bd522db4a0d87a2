import Conf from 'conf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiBaseFromHost, type ApiBase } from '../core/api-base.js';
import { AppError } from '../core/errors.js';
import { isAllowedExternalUrl } from '../core/external-links.js';
import type { CreatedInstance } from '../core/instance-summary.js';
import type { CloudElementsClient, CloudElementsCredentials } from '../services/cloud-elements.js';
import { createSecretVault, type KeychainBackend } from '../services/secret-vault.js';
import { openSettings, storeSchema, type Settings } from '../services/settings.js';
import { CHANNELS } from './channels.js';
import { requestSchemas } from './contract.js';
import { dispatch } from './dispatch.js';
import { createHandlers, type HandlerDeps } from './handlers.js';
import { isTrustedSenderUrl } from './sender.js';

const secrets = { userSecret: 'u/s+1=', orgSecret: 'o/s+2=' };
const target = {
  apiBase: 'api.cloud-elements.co.uk',
  credentials: { source: 'typed' as const, ...secrets, remember: false },
};
const answers = {
  name: 'Freshdesk events (acme)',
  tags: ['prod'],
  subdomain: 'https://ACME.freshdesk.com/',
  auth: { kind: 'apiKey' as const, apiKey: 'fd-key' },
  rememberFreshdesk: false,
  callbackUrl: 'https://app.example.com/hooks/freshdesk',
};

/** keytar's three calls over a Map: the vault's own logic runs for real (the real keychain has its own tests). */
function memoryKeychain(options: { broken?: boolean } = {}): KeychainBackend & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const fail = () => {
    if (options.broken) throw new Error('Cannot create an item in a locked collection');
  };
  return {
    entries,
    getPassword: async (service, account) => {
      fail();
      return entries.get(`${service}/${account}`) ?? null;
    },
    setPassword: async (service, account, password) => {
      fail();
      entries.set(`${service}/${account}`, password);
    },
    deletePassword: async (service, account) => {
      fail();
      return entries.delete(`${service}/${account}`);
    },
  };
}

/** Handlers over a recording client: these tests are about the handler logic, not HTTP (the client has its own tests). */
function setUp(create: () => Promise<CreatedInstance>, options: { brokenKeychain?: boolean } = {}) {
  const calls: {
    apiBase: ApiBase;
    credentials: CloudElementsCredentials[];
    bodies: unknown[];
    clipboard: string[];
    opened: string[];
    saved: { name: string; content: string }[];
  } = {
    apiBase: '' as ApiBase,
    credentials: [],
    bodies: [],
    clipboard: [],
    opened: [],
    saved: [],
  };
  const keychain = memoryKeychain({ broken: options.brokenKeychain ?? false });
  const settingsDir = mkdtempSync(join(tmpdir(), 'fdea-ipc-'));
  const deps: HandlerDeps = {
    vault: createSecretVault({ backend: keychain, service: 'test', platform: 'linux' }),
    settings: openSettings(
      () => new Conf<Settings>({ cwd: settingsDir, configName: 'settings', schema: storeSchema() }),
      { filePath: join(settingsDir, 'settings.json') },
    ),
    now: () => new Date('2026-12-03T12:00:00Z'),
    freshdesk: () => {
      throw new Error('no Freshdesk in these tests');
    },
    saveFile: async (name, content) => {
      calls.saved.push({ name, content });
      return `/tmp/${name}`;
    },
    cloudElements: (apiBase, credentials) => {
      calls.apiBase = apiBase;
      calls.credentials.push(credentials);
      const client: CloudElementsClient = {
        hasElement: async (key) => key === 'freshdesk',
        listEvents: async () => [],
        listInstances: async () => [],
        createInstance: async (body) => {
          calls.bodies.push(body);
          return create();
        },
      };
      return client;
    },
    writeClipboard: async (text) => {
      calls.clipboard.push(text);
    },
    openExternal: async (url) => {
      calls.opened.push(url);
    },
  };
  return { handlers: createHandlers(deps), calls, keychain, settingsDir };
}

const created: CreatedInstance = {
  id: '20931',
  name: answers.name,
  elementKey: 'freshdesk',
  createdDate: undefined,
  encodedId: 'MjA5MzE=',
  eventsUrl: 'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MjA5MzE=',
  reconciled: false,
};

describe('the contract', () => {
  it('has one request schema per channel and distinct channel names', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual(Object.keys(CHANNELS).sort());
    expect(new Set(Object.values(CHANNELS)).size).toBe(Object.keys(CHANNELS).length);
  });
});

describe('dispatch', () => {
  it('refuses a malformed request without running the handler or echoing its values', async () => {
    const { handlers, calls } = setUp(async () => created);
    const result = await dispatch(handlers, 'createInstance', {
      target: { ...target, credentials: { ...target.credentials, extra: 'sneaky-secret-value' } },
      answers,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('invalid-input');
      expect(result.error.message).not.toContain('sneaky-secret-value');
      expect(result.error.message).not.toContain(secrets.userSecret);
    }
    expect(calls.bodies).toHaveLength(0);
  });

  it('refuses a request of the wrong type', async () => {
    const { handlers } = setUp(async () => created);
    const result = await dispatch(handlers, 'writeClipboard', { text: 42 });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
  });

  it('turns an AppError into a failure with its kind, message and field', async () => {
    const { handlers } = setUp(async () => {
      throw new AppError('credentials', 'Cloud Elements rejected the secrets.', { status: 401 });
    });
    const result = await dispatch(handlers, 'createInstance', { target, answers });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'credentials',
        message: 'Cloud Elements rejected the secrets.',
        field: undefined,
        problems: undefined,
      },
    });
  });

  it('hides the message of an unexpected error, which could quote a secret', async () => {
    const { handlers } = setUp(async () => {
      throw new Error(`boom ${secrets.userSecret}`);
    });
    const result = await dispatch(handlers, 'createInstance', { target, answers });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('internal');
      expect(result.error.message).not.toContain(secrets.userSecret);
    }
  });
});

describe('createInstance handler', () => {
  it('sends the normalized body to the chosen environment', async () => {
    const { handlers, calls } = setUp(async () => created);
    const result = await dispatch(handlers, 'createInstance', { target, answers });
    expect(result).toEqual({
      ok: true,
      value: { ...created, keychain: { state: 'not-requested' }, freshdeskKeychain: { state: 'not-requested' } },
    });
    expect(calls.apiBase).toBe('https://api.cloud-elements.co.uk/elements/api-v2');
    expect(calls.bodies).toEqual([
      {
        element: { key: 'freshdesk' },
        configuration: {
          subdomain: 'acme',
          'api.key': 'fd-key',
          'event.notification.enabled': 'true',
          'event.notification.callback.url': 'https://app.example.com/hooks/freshdesk',
        },
        tags: ['prod'],
        name: 'Freshdesk events (acme)',
      },
    ]);
  });

  it('names every problem and sends nothing when entries are missing', async () => {
    const { handlers, calls } = setUp(async () => created);
    const result = await dispatch(handlers, 'createInstance', {
      target: { ...target, credentials: { ...target.credentials, orgSecret: ' ' } },
      answers: { ...answers, name: '', subdomain: '', callbackUrl: 'http://app.example.com/x' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const fields = (result.error.problems ?? []).map((problem) => problem.field);
      expect(fields).toEqual(['orgSecret']);
    }
    const second = await dispatch(handlers, 'createInstance', {
      target,
      answers: { ...answers, name: '', subdomain: '', callbackUrl: 'http://app.example.com/x' },
    });
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect((second.error.problems ?? []).map((problem) => problem.field)).toEqual([
        'name',
        'subdomain',
        'callbackUrl',
      ]);
    }
    expect(calls.bodies).toHaveLength(0);
  });

  it('joins a second click to the creation already in flight', async () => {
    let finish: (value: CreatedInstance) => void = () => undefined;
    const { handlers, calls } = setUp(() => new Promise((resolve) => (finish = resolve)));
    const first = dispatch(handlers, 'createInstance', { target, answers });
    const second = dispatch(handlers, 'createInstance', { target, answers });
    await new Promise((resolve) => setTimeout(resolve, 10));
    finish(created);
    const both = [await first, await second];
    expect(both.map((result) => result.ok && result.value.id)).toEqual(['20931', '20931']);
    expect(calls.bodies).toHaveLength(1);
  });
});

describe('testConnection handler', () => {
  it('reports the resolved API base and the webhook element', async () => {
    const { handlers } = setUp(async () => created);
    const result = await dispatch(handlers, 'testConnection', target);
    expect(result).toEqual({
      ok: true,
      value: {
        apiBase: 'https://api.cloud-elements.co.uk/elements/api-v2',
        webhookElementAvailable: true,
        pollingElementAvailable: false,
        keychain: { state: 'not-requested' },
      },
    });
  });

  it('refuses plain http to a remote host before sending anything', async () => {
    const { handlers } = setUp(async () => created);
    const result = await dispatch(handlers, 'testConnection', { ...target, apiBase: 'http://api.cloud-elements.com' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input', field: 'apiBase' } });
  });
});

describe('external links', () => {
  it.each([
    ['https://acme.freshdesk.com/a/admin', true],
    ['https://docs.cloud-elements.com/home/error-codes', true],
    ['http://acme.freshdesk.com/a/admin', false],
    ['https://acme.freshdesk.com.attacker.example/', false],
    ['https://evil.example/?https://acme.freshdesk.com', false],
    ['https://user:pw@acme.freshdesk.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  it('the handler opens only allow-listed links', async () => {
    const { handlers, calls } = setUp(async () => created);
    expect(await dispatch(handlers, 'openExternal', { url: 'https://evil.example/' })).toMatchObject({ ok: false });
    expect(await dispatch(handlers, 'openExternal', { url: 'https://acme.freshdesk.com/a/admin' })).toEqual({
      ok: true,
      value: { opened: true },
    });
    expect(calls.opened).toEqual(['https://acme.freshdesk.com/a/admin']);
  });
});

describe('sender check', () => {
  const appUrl = 'file:///opt/app/resources/app.asar/out/renderer/index.html';
  it.each([
    [appUrl, true],
    [`${appUrl}#step`, true],
    ['file:///tmp/evil/index.html', false],
    ['https://acme.freshdesk.com/', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (frameUrl, trusted) => {
    expect(isTrustedSenderUrl(frameUrl, appUrl)).toBe(trusted);
  });

  it('accepts the dev server origin only', () => {
    expect(isTrustedSenderUrl('http://localhost:5173/index.html', 'http://localhost:5173')).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5174/index.html', 'http://localhost:5173')).toBe(false);
  });
});

// Keep the resolved-base helper honest: the handler and the CLI share it.
it('apiBaseFromHost keeps the EU host', () => {
  expect(apiBaseFromHost('api.cloud-elements.co.uk')).toEqual({
    ok: true,
    value: 'https://api.cloud-elements.co.uk/elements/api-v2',
  });
});

describe('secrets in the keychain', () => {
  const remembered = { ...target, credentials: { ...target.credentials, remember: true } };

  it('saves typed secrets once a call accepted them, and uses them when asked', async () => {
    const { handlers, calls, keychain } = setUp(async () => created);
    const tested = await dispatch(handlers, 'testConnection', remembered);
    expect(tested).toMatchObject({ ok: true, value: { keychain: { state: 'saved' } } });
    expect(keychain.entries.get('test/cloud-elements:api.cloud-elements.co.uk')).toBe(JSON.stringify(secrets));

    const saved = await dispatch(handlers, 'savedSecrets', { apiBase: 'api.cloud-elements.co.uk', subdomain: 'acme' });
    expect(saved).toEqual({ ok: true, value: { cloudElements: true, freshdesk: false, keychain: { usable: true } } });
    expect(JSON.stringify(saved)).not.toContain(secrets.userSecret);

    const again = await dispatch(handlers, 'testConnection', {
      apiBase: target.apiBase,
      credentials: { source: 'saved' },
    });
    expect(again.ok).toBe(true);
    expect(calls.credentials.at(-1)).toEqual(secrets);
  });

  it('drops whitespace around typed secrets, and saves them clean', async () => {
    const { handlers, calls, keychain } = setUp(async () => created);
    const padded = {
      ...remembered,
      credentials: { ...remembered.credentials, userSecret: ` ${secrets.userSecret}\n` },
    };
    expect(await dispatch(handlers, 'testConnection', padded)).toMatchObject({ ok: true });
    expect(calls.credentials.at(-1)).toEqual(secrets);
    expect(keychain.entries.get('test/cloud-elements:api.cloud-elements.co.uk')).toBe(JSON.stringify(secrets));
  });

  it('names a pasted Authorization header instead of sending it', async () => {
    const { handlers, calls } = setUp(async () => created);
    const header = `User ${secrets.userSecret}, Organization ${secrets.orgSecret}`;
    const result = await dispatch(handlers, 'testConnection', {
      ...target,
      credentials: { ...target.credentials, userSecret: header },
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input', field: 'userSecret' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(/Authorization header/);
      expect(result.error.message).not.toContain(secrets.userSecret);
    }
    expect(calls.credentials).toEqual([]);
  });

  it('does not save secrets the server rejected', async () => {
    const { handlers, keychain } = setUp(async () => {
      throw new AppError('credentials', 'rejected');
    });
    await dispatch(handlers, 'createInstance', { target: remembered, answers });
    expect(keychain.entries.size).toBe(0);
  });

  it('saves the Freshdesk key per subdomain after creating, and reuses it', async () => {
    const { handlers, calls, keychain } = setUp(async () => created);
    const result = await dispatch(handlers, 'createInstance', {
      target,
      answers: { ...answers, rememberFreshdesk: true },
    });
    expect(result).toMatchObject({ ok: true, value: { freshdeskKeychain: { state: 'saved' } } });
    expect(keychain.entries.get('test/freshdesk:acme')).toBe(JSON.stringify(answers.auth));
    await dispatch(handlers, 'createInstance', {
      target,
      answers: { ...answers, name: 'second', auth: { kind: 'saved' } },
    });
    expect(calls.bodies.at(-1)).toMatchObject({ configuration: { 'api.key': 'fd-key' } });
  });

  it('says so when nothing is saved for the host', async () => {
    const { handlers } = setUp(async () => created);
    const result = await dispatch(handlers, 'testConnection', {
      apiBase: target.apiBase,
      credentials: { source: 'saved' },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'credentials', message: expect.stringContaining('No Cloud Elements secrets are saved') },
    });
  });

  it('goes on with the typed secrets when the keychain is locked, and says why nothing was saved', async () => {
    const { handlers, settingsDir } = setUp(async () => created, { brokenKeychain: true });
    const result = await dispatch(handlers, 'createInstance', { target: remembered, answers });
    expect(result).toMatchObject({
      ok: true,
      value: { id: '20931', keychain: { state: 'failed', message: expect.stringContaining('keyring is locked') } },
    });
    const session = await dispatch(handlers, 'loadSession', {});
    expect(session).toMatchObject({ ok: true, value: { keychain: { usable: false } } });
    await dispatch(handlers, 'saveProgress', { subdomain: 'acme' });
    expect(readFileSync(join(settingsDir, 'settings.json'), 'utf8')).not.toContain(secrets.userSecret);
  });

  it('forgets what it was asked to forget', async () => {
    const { handlers, keychain } = setUp(async () => created);
    await dispatch(handlers, 'testConnection', remembered);
    await dispatch(handlers, 'forgetSecrets', { apiBase: 'https://api.cloud-elements.co.uk/elements/api-v2/' });
    expect(keychain.entries.size).toBe(0);
  });
});

describe('progress', () => {
  it('saves progress and refuses a secret smuggled into it', async () => {
    const { handlers, settingsDir } = setUp(async () => created);
    expect(await dispatch(handlers, 'saveProgress', { subdomain: 'acme', currentStep: 'instance' })).toEqual({
      ok: true,
      value: { saved: true },
    });
    const refused = await dispatch(handlers, 'saveProgress', { userSecret: secrets.userSecret });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    const session = await dispatch(handlers, 'loadSession', {});
    expect(session).toMatchObject({ ok: true, value: { settings: { subdomain: 'acme', currentStep: 'instance' } } });
    expect(readFileSync(join(settingsDir, 'settings.json'), 'utf8')).not.toContain(secrets.userSecret);
  });

  it('records a finished setup with its time', async () => {
    const { handlers } = setUp(async () => created);
    await dispatch(handlers, 'recordFinishedSetup', {
      apiBase: 'https://api.cloud-elements.com/elements/api-v2',
      subdomain: 'acme',
      instanceId: '20931',
      instanceName: 'A',
      eventsUrl: created.eventsUrl,
    });
    const session = await dispatch(handlers, 'loadSession', {});
    expect(session.ok && session.value.settings.history).toEqual([
      {
        finishedAt: '2026-12-03T12:00:00.000Z',
        apiBase: 'https://api.cloud-elements.com/elements/api-v2',
        subdomain: 'acme',
        instanceId: '20931',
        instanceName: 'A',
        eventsUrl: created.eventsUrl,
      },
    ]);
  });
});
