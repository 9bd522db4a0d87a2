import { describe, expect, it } from 'vitest';
import { apiBaseFromHost, type ApiBase } from '../core/api-base.js';
import { AppError } from '../core/errors.js';
import { isAllowedExternalUrl } from '../core/external-links.js';
import type { CreatedInstance } from '../core/instance-summary.js';
import type { CloudElementsClient } from '../services/cloud-elements.js';
import { CHANNELS } from './channels.js';
import { requestSchemas } from './contract.js';
import { dispatch } from './dispatch.js';
import { createHandlers, type HandlerDeps } from './handlers.js';
import { isTrustedSenderUrl } from './sender.js';

const target = { apiBase: 'api.cloud-elements.co.uk', userSecret: 'u/s+1=', orgSecret: 'o/s+2=' };
const answers = {
  name: 'Freshdesk events (acme)',
  tags: ['prod'],
  subdomain: 'https://ACME.freshdesk.com/',
  auth: { kind: 'apiKey' as const, apiKey: 'fd-key' },
  callbackUrl: 'https://app.example.com/hooks/freshdesk',
};

/** Handlers over a recording client: these tests are about the handler logic, not HTTP (the client has its own tests). */
function setUp(create: () => Promise<CreatedInstance>) {
  const calls: { apiBase: ApiBase; bodies: unknown[]; clipboard: string[]; opened: string[] } = {
    apiBase: '' as ApiBase,
    bodies: [],
    clipboard: [],
    opened: [],
  };
  const deps: HandlerDeps = {
    cloudElements: (apiBase) => {
      calls.apiBase = apiBase;
      const client: CloudElementsClient = {
        hasElement: async (key) => key === 'freshdesk',
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
  return { handlers: createHandlers(deps), calls };
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
      target: { ...target, extra: 'sneaky-secret-value' },
      answers,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('invalid-input');
      expect(result.error.message).not.toContain('sneaky-secret-value');
      expect(result.error.message).not.toContain(target.userSecret);
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
      throw new Error(`boom ${target.userSecret}`);
    });
    const result = await dispatch(handlers, 'createInstance', { target, answers });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('internal');
      expect(result.error.message).not.toContain(target.userSecret);
    }
  });
});

describe('createInstance handler', () => {
  it('sends the normalized body to the chosen environment', async () => {
    const { handlers, calls } = setUp(async () => created);
    const result = await dispatch(handlers, 'createInstance', { target, answers });
    expect(result).toEqual({ ok: true, value: created });
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
      target: { ...target, orgSecret: ' ' },
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
    expect(await first).toEqual({ ok: true, value: created });
    expect(await second).toEqual({ ok: true, value: created });
    expect(calls.bodies).toHaveLength(1);
  });
});

describe('testConnection handler', () => {
  it('reports the resolved API base and the webhook element', async () => {
    const { handlers } = setUp(async () => created);
    const result = await dispatch(handlers, 'testConnection', target);
    expect(result).toEqual({
      ok: true,
      value: { apiBase: 'https://api.cloud-elements.co.uk/elements/api-v2', webhookElementAvailable: true },
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
