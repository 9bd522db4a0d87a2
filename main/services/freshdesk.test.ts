import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN_AGENT,
  PLAIN_AGENT,
  startFreshdeskEmulator,
  type FreshdeskEmulator,
  type FreshdeskEmulatorOptions,
} from '../../e2e/emulators/freshdesk.js';
import { AppError, type ErrorKind } from '../core/errors.js';
import { buildWebhookRule, type TicketUpdateRuleBody } from '../core/webhook-rule.js';
import { createFreshdeskClient, type FreshdeskClientOptions } from './freshdesk.js';
import { retryAfterSeconds } from './http.js';

const EVENTS_URL = 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=';
const OTHER_URL = 'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MTIzNA==';
const WRONG_KEY = 'Wr0ngKeyAbCdEfGh1234';
const KEYS = [ADMIN_AGENT.apiKey, PLAIN_AGENT.apiKey, WRONG_KEY];
/** Every form a key could leak in: as is, and inside the Basic header. */
const LEAK_FORMS = KEYS.flatMap((key) => [key, btoa(`${key}:X`)]);
const RULES = '/api/v2/automations/4/rules';

let emulator: FreshdeskEmulator;

async function restart(options: FreshdeskEmulatorOptions): Promise<void> {
  await emulator.close();
  emulator = await startFreshdeskEmulator(options);
}

function client(options: Partial<FreshdeskClientOptions> = {}) {
  return createFreshdeskClient({
    baseUrl: emulator.baseUrl,
    apiKey: ADMIN_AGENT.apiKey,
    reconcileRetryDelayMs: 20,
    ...options,
  });
}

function ruleBody(url = EVENTS_URL, name?: string): TicketUpdateRuleBody {
  const checked = buildWebhookRule(url, name === undefined ? {} : { name });
  if (!checked.ok) throw new Error(checked.message);
  return checked.value;
}

/** A rule as the admin UI would have made it. */
function uiRule(url: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Made by hand',
    active: true,
    performer: { type: 1 },
    events: [{ field_name: 'priority', from: '--', to: '--' }],
    actions: [
      {
        field_name: 'trigger_webhook',
        request_type: 'POST',
        url,
        content_type: 'JSON',
        content_layout: '1',
        content: {},
      },
    ],
    ...overrides,
  };
}

/** Runs a call that must fail and returns the AppError, checking that no key leaked into the message. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  for (const form of LEAK_FORMS) expect(appError.message).not.toContain(form);
  for (const problem of appError.problems ?? []) {
    for (const form of LEAK_FORMS) expect(problem.message).not.toContain(form);
  }
  return appError;
}

async function expectKind(promise: Promise<unknown>, kind: ErrorKind): Promise<AppError> {
  const error = await failure(promise);
  expect(error.kind).toBe(kind);
  return error;
}

const posts = () => emulator.requests().filter((request) => request.method === 'POST');
const host = () => `127.0.0.1:${emulator.port}`;

beforeEach(async () => {
  emulator = await startFreshdeskEmulator();
});
afterEach(async () => {
  await emulator.close();
});

describe('me', () => {
  it("returns the key's agent", async () => {
    expect(await client().me()).toEqual({ id: 43001234567, name: 'Ada Admin', email: 'ada@acme.example' });
    expect(await client({ apiKey: `  ${PLAIN_AGENT.apiKey}\n` }).me()).toEqual({
      id: 43001234568,
      name: 'Sam Support',
      email: 'sam@acme.example',
    });
    expect(emulator.requests()).toEqual([
      { method: 'GET', path: '/api/v2/agents/me' },
      { method: 'GET', path: '/api/v2/agents/me' },
    ]);
  });

  it('sends HTTP Basic with the API key as user and X as password, and asks for JSON', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":7,"contact":{"name":"N","email":"e@x"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      await createFreshdeskClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'abcDEF123' }).me();
      expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('abcDEF123:X').toString('base64')}`);
      expect(seen[0]?.accept).toBe('application/json');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('ensureWebhookRule', () => {
  it('creates the rule once, reads it back, then reuses it: exactly one rule and one POST', async () => {
    const fd = client();
    const first = await fd.ensureWebhookRule(EVENTS_URL);
    expect(first.created).toBe(true);
    expect(first.warnings).toEqual([]);
    expect(first.rule.id).toBe(109866);
    expect(first.rule.name).toBe('Cloud Elements events (freshdesk)');
    expect(first.rule.active).toBe(true);
    expect(first.rule.raw['actions']).toEqual(ruleBody().actions);

    const second = await fd.ensureWebhookRule(EVENTS_URL);
    expect(second).toEqual({ rule: first.rule, created: false, warnings: [] });

    expect(emulator.rules()).toHaveLength(1);
    expect(emulator.requests().map(({ method, path }) => `${method} ${path}`)).toEqual([
      `GET ${RULES}`,
      `POST ${RULES}`,
      `GET ${RULES}/109866`,
      `GET ${RULES}`,
    ]);
    expect(posts()[0]?.body).toEqual(ruleBody());
  });

  it('sends exactly the built body: POST, JSON, the events URL, with the name given', async () => {
    await client().ensureWebhookRule(EVENTS_URL, { name: 'To CE' });
    expect(posts()[0]?.body).toEqual(ruleBody(EVENTS_URL, 'To CE'));
    const [action] = (posts()[0]?.body as TicketUpdateRuleBody).actions;
    expect(action?.request_type).toBe('POST');
    expect(action?.content_type).toBe('JSON');
    expect(action?.url).toBe(EVENTS_URL);
  });

  it('makes one rule for two concurrent calls (a double click)', async () => {
    const fd = client();
    const [a, b] = await Promise.all([fd.ensureWebhookRule(EVENTS_URL), fd.ensureWebhookRule(EVENTS_URL)]);
    expect(a).toBe(b);
    expect(posts()).toHaveLength(1);
    expect(emulator.rules()).toHaveLength(1);
  });

  it('reuses a rule made in the admin UI, on a later page, and says when it is off or not JSON', async () => {
    for (let index = 0; index < 32; index += 1) emulator.addRule(uiRule(OTHER_URL, { name: `Other ${index}` }));
    const mine = emulator.addRule(
      uiRule(EVENTS_URL, { active: false, actions: [{ ...ruleBody().actions[0], content_type: 'XML' }] }),
    );
    const result = await client().ensureWebhookRule(EVENTS_URL);
    expect(result.created).toBe(false);
    expect(result.rule.id).toBe(mine['id']);
    expect(result.rule.active).toBe(false);
    expect(result.warnings).toEqual([
      '"Made by hand" is turned off: turn it on under Admin > Automations > Ticket updates, or no event is sent.',
      '"Made by hand" posts with the XML encoding: set Encoding to JSON in its Trigger Webhook action.',
    ]);
    expect(emulator.requests().map(({ method, path }) => `${method} ${path}`)).toEqual([
      `GET ${RULES}`,
      `GET ${RULES}?page=2&per_page=30`,
    ]);
    expect(posts()).toHaveLength(0);
  });

  it('does not reuse a rule that posts elsewhere or with another method', async () => {
    emulator.addRule(uiRule(OTHER_URL));
    emulator.addRule(
      uiRule(EVENTS_URL, { name: 'GET one', actions: [{ ...ruleBody().actions[0], request_type: 'GET' }] }),
    );
    const result = await client().ensureWebhookRule(EVENTS_URL);
    expect(result.created).toBe(true);
    expect(emulator.rules()).toHaveLength(3);
  });

  it('refuses a bad events URL or name before sending anything', async () => {
    const badUrl = await expectKind(
      client().ensureWebhookRule('https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzEK'),
      'invalid-input',
    );
    expect(badUrl.message).toBe(
      'MjA5MzEK encodes "20931" followed by a line break (echo | base64 adds one): use MjA5MzE=.',
    );
    expect(badUrl.field).toBe('eventsUrl');
    const badName = await expectKind(client().ensureWebhookRule(EVENTS_URL, { name: ' ' }), 'invalid-input');
    expect(badName.field).toBe('name');
    expect(emulator.requests()).toEqual([]);
  });

  it('after a create whose answer was lost, finds the rule instead of posting again', async () => {
    emulator.setFault('drop-after-create');
    const result = await client().ensureWebhookRule(EVENTS_URL);
    expect(result.created).toBe(true);
    expect(result.rule.id).toBe(109866);
    expect(posts()).toHaveLength(1);
    expect(emulator.rules()).toHaveLength(1);
    expect(emulator.requests().map(({ method, path }) => `${method} ${path}`)).toEqual([
      `GET ${RULES}`,
      `POST ${RULES}`,
      `GET ${RULES}`,
      `GET ${RULES}/109866`,
    ]);
  });

  it('after a 500 on create with nothing created, says so and does not post again', async () => {
    emulator.setFault('server-error', { requests: 'create' });
    const error = await expectKind(client().ensureWebhookRule(EVENTS_URL), 'server');
    expect(error.message).toBe(
      `Freshdesk (${host()}) failed (500: We are sorry, something went wrong. Please try again later.): try again in a few minutes. No rule posts to ${EVENTS_URL}, so none was created: it is safe to try again.`,
    );
    expect(posts()).toHaveLength(1);
    expect(emulator.rules()).toHaveLength(0);
  });

  it('refuses a rule that Freshdesk saved without its webhook settings (read-back check)', async () => {
    emulator.setFault('strip-webhook-action');
    const error = await expectKind(client().ensureWebhookRule(EVENTS_URL), 'server');
    expect(error.message).toBe(
      `Freshdesk saved the rule "Cloud Elements events (freshdesk)" (id 109866), but reading it back shows no Trigger Webhook action that POSTs to ${EVENTS_URL}. Open Admin > Automations > Ticket updates, and fix the rule's action there (or delete the rule and try again).`,
    );
    expect(posts()).toHaveLength(1);
  });

  it('a caller cancelling stops it with cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectKind(client().ensureWebhookRule(EVENTS_URL, { signal: controller.signal }), 'cancelled');
    expect(emulator.requests()).toEqual([]);
  });
});

describe('listTicketUpdateRules, createRule, getRule', () => {
  it('creates a rule with a numeric id and reads the same rule back', async () => {
    const fd = client();
    expect(await fd.listTicketUpdateRules()).toEqual([]);
    const created = await fd.createRule(ruleBody());
    expect(created.id).toBe(109866);
    const read = await fd.getRule(created.id);
    expect(read).toEqual(created);
    expect(await fd.listTicketUpdateRules()).toEqual([created]);
  });

  it('returns a rule created without conditions with one empty condition set, as Freshdesk does', async () => {
    const { conditions: _dropped, ...withoutConditions } = ruleBody();
    const created = await client().createRule(withoutConditions as TicketUpdateRuleBody);
    expect(created.raw['conditions']).toEqual([{ name: 'condition_set_1', match_type: 'all', properties: [] }]);
  });

  it('refuses to send an incomplete Trigger Webhook action', async () => {
    const body = { ...ruleBody(), actions: [{ field_name: 'trigger_webhook', url: EVENTS_URL }] };
    const error = await expectKind(client().createRule(body as unknown as TicketUpdateRuleBody), 'invalid-input');
    expect(error.message).toBe(
      'The Trigger Webhook action is missing request_type, content_type, content_layout, content: Freshdesk answers such an action with a server error (500) instead of saying what is missing, so it is not sent.',
    );
    expect(emulator.requests()).toEqual([]);
  });

  it('turns a 400 into one readable line with the field problems', async () => {
    const error = await expectKind(client().createRule(ruleBody(EVENTS_URL, 'n'.repeat(300))), 'bad-request');
    expect(error.message).toBe(
      'Freshdesk refused the rule (400: Validation failed: name: Has 300 characters, it can have maximum of 255 characters (invalid_value)).',
    );
    expect(error.problems).toEqual([
      { field: 'name', message: 'Has 300 characters, it can have maximum of 255 characters (invalid_value)' },
    ]);
    expect(error.status).toBe(400);
  });

  it('says when a rule id does not exist, and refuses an id that is not one', async () => {
    const error = await expectKind(client().getRule(42), 'bad-request');
    expect(error.message).toBe(`Freshdesk has no ticket-updates rule with id 42 at ${host()} (404).`);
    await expectKind(client().getRule(-1), 'invalid-input');
  });
});

describe('errors: each status becomes its kind and a message that says what to do', () => {
  it('401: the key is wrong', async () => {
    const error = await expectKind(client({ apiKey: WRONG_KEY }).me(), 'credentials');
    expect(error.message).toBe(
      `Freshdesk rejected the API key for ${host()}: copy it again from Profile settings > Your API key.`,
    );
    expect(error.status).toBe(401);
  });

  it('403: the agent is not an admin', async () => {
    const fd = client({ apiKey: PLAIN_AGENT.apiKey });
    const error = await expectKind(fd.ensureWebhookRule(EVENTS_URL), 'credentials');
    expect(error.message).toBe(
      "Freshdesk refused (403: You are not authorized to perform this action.): automation rules can be managed only with the API key of an administrator. Use an admin's API key (Profile settings > Your API key), or create the rule by hand with the walkthrough.",
    );
    expect(error.status).toBe(403);
    expect(posts()).toHaveLength(0);
  });

  it('403: the plan has no webhooks', async () => {
    await restart({ webhooksInPlan: false });
    const error = await expectKind(client().ensureWebhookRule(EVENTS_URL), 'bad-request');
    expect(error.message).toBe(
      'Freshdesk refused (403: The Webhook feature(s) is/are not supported in your plan. Please upgrade your account to use it.): your plan does not include webhooks (Trigger Webhook needs the Growth, Pro or Enterprise plan since December 2025). Upgrade the plan, or use the freshdeskv2 element, which polls for changes and needs no rule.',
    );
    expect(emulator.rules()).toHaveLength(0);
  });

  it('404: no account at this subdomain', async () => {
    emulator.setFault('not-found');
    const error = await expectKind(client().me(), 'bad-request');
    expect(error.message).toBe(`There is no Freshdesk account at ${host()} (404): check the subdomain.`);
    expect(error.field).toBe('subdomain');
  });

  it('429: wait as long as Retry-After says', async () => {
    emulator.setFault('rate-limited', { retryAfterSeconds: 37 });
    const error = await expectKind(client().listTicketUpdateRules(), 'server');
    expect(error.message).toBe(
      "Freshdesk is limiting this account's API requests (429): wait 37 seconds, then try again.",
    );
    expect(error.status).toBe(429);
  });

  it('5xx: a server failure', async () => {
    emulator.setFault('server-error');
    const error = await expectKind(client().me(), 'server');
    expect(error.message).toBe(
      `Freshdesk (${host()}) failed (500: We are sorry, something went wrong. Please try again later.): try again in a few minutes.`,
    );
  });

  it('an unreadable body', async () => {
    emulator.setFault('garbled');
    const error = await expectKind(client().me(), 'unreadable');
    expect(error.message).toBe(
      'Freshdesk sent the agent profile in a form that could not be read (not the expected JSON).',
    );
  });

  it('a timeout, with a short timeoutMs against a delayed answer', async () => {
    emulator.setFault('slow', { delayMs: 3000 });
    const started = Date.now();
    const error = await expectKind(client({ timeoutMs: 200 }).me(), 'timeout');
    expect(error.message).toBe(
      `Freshdesk (${host()}) did not answer within 0.2 s: check your connection, then try again.`,
    );
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a network failure', async () => {
    const baseUrl = emulator.baseUrl;
    await emulator.close();
    const error = await expectKind(createFreshdeskClient({ baseUrl, apiKey: ADMIN_AGENT.apiKey }).me(), 'network');
    expect(error.message).toBe(
      `Could not reach Freshdesk at ${new URL(baseUrl).host} (ECONNREFUSED): check the subdomain, your internet connection and any proxy.`,
    );
    emulator = await startFreshdeskEmulator();
  });

  it('a missing or malformed key, and a base URL that is not Freshdesk, are refused before sending', async () => {
    expect((await expectKind(client({ apiKey: '  ' }).me(), 'credentials')).message).toBe(
      'The Freshdesk API key is missing: copy it from Profile settings > Your API key.',
    );
    const spaced = await expectKind(client({ apiKey: 'abc def' }).me(), 'credentials');
    expect(spaced.message).toBe(
      'The Freshdesk API key contains spaces, a colon or other characters an API key never has: copy it again from Profile settings > Your API key.',
    );
    expect(spaced.message).not.toContain('abc def');
    const base = await expectKind(client({ baseUrl: 'http://acme.freshdesk.com' }).me(), 'invalid-input');
    expect(base.message).toBe(
      'http:// is not allowed for acme.freshdesk.com: the Freshdesk API must be reached over https.',
    );
    expect(emulator.requests()).toEqual([]);
  });

  it('never shows the API key, even when the server echoes it back', async () => {
    await restart({ echo: true });
    const rejected = await expectKind(client({ apiKey: WRONG_KEY }).me(), 'credentials');
    expect(rejected.message).not.toContain(WRONG_KEY);
    const forbidden = await expectKind(client({ apiKey: PLAIN_AGENT.apiKey }).listTicketUpdateRules(), 'credentials');
    expect(forbidden.message).toBe(
      "Freshdesk refused (403: You are not authorized to perform this action. (key ********)): automation rules can be managed only with the API key of an administrator. Use an admin's API key (Profile settings > Your API key), or create the rule by hand with the walkthrough.",
    );
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:28:30 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(30);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(retryAfterSeconds(null)).toBeUndefined();
  });
});
