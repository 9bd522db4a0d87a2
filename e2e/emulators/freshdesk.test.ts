import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_AGENT, PLAIN_AGENT, startFreshdeskEmulator, type FreshdeskEmulator } from './freshdesk.js';

/**
 * The emulator itself, over raw fetch: the wire behaviour the Freshdesk client
 * is tested against must match the reference (§2), or those tests prove nothing.
 */

const RULES = '/api/v2/automations/4/rules';
const EVENTS_URL = 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=';

let emulator: FreshdeskEmulator;

const basic = (key: string, password = 'X') => `Basic ${Buffer.from(`${key}:${password}`).toString('base64')}`;

async function call(
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; raw?: string } = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.key !== null) headers['authorization'] = basic(options.key ?? ADMIN_AGENT.apiKey);
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${emulator.baseUrl}${path}`, { method, headers, body: body ?? null });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, json, headers: response.headers };
}

function rule(overrides: Record<string, unknown> = {}, action: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'R',
    active: true,
    performer: { type: 3 },
    events: [{ field_name: 'status', from: '--', to: '--' }],
    actions: [
      {
        field_name: 'trigger_webhook',
        request_type: 'POST',
        url: EVENTS_URL,
        content_type: 'JSON',
        content_layout: 'advanced',
        content: { ticket_id: '{{ticket.id}}' },
        ...action,
      },
    ],
    ...overrides,
  };
}

beforeEach(async () => {
  emulator = await startFreshdeskEmulator();
});
afterEach(async () => {
  await emulator.close();
});

describe('Freshdesk emulator', () => {
  it('accepts the API key with any password, and answers 401 in Freshdesk’s shape otherwise', async () => {
    expect((await call('GET', '/api/v2/agents/me', { key: ADMIN_AGENT.apiKey })).status).toBe(200);
    const other = await fetch(`${emulator.baseUrl}/api/v2/agents/me`, {
      headers: { authorization: basic(ADMIN_AGENT.apiKey, 'unused_with_api_key') },
    });
    expect(other.status).toBe(200);
    for (const key of [null, 'nope']) {
      const answer = await call('GET', '/api/v2/agents/me', { key });
      expect(answer).toMatchObject({
        status: 401,
        json: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' },
      });
    }
  });

  it('nests the agent profile under contact', async () => {
    const answer = await call('GET', '/api/v2/agents/me', { key: PLAIN_AGENT.apiKey });
    expect(answer.json).toMatchObject({
      id: PLAIN_AGENT.id,
      contact: { name: 'Sam Support', email: 'sam@acme.example' },
    });
  });

  it('answers 403 to an agent who is not an admin on automations', async () => {
    const answer = await call('GET', RULES, { key: PLAIN_AGENT.apiKey });
    expect(answer).toMatchObject({
      status: 403,
      json: { code: 'access_denied', message: 'You are not authorized to perform this action.' },
    });
  });

  it('answers 403 to a trigger_webhook rule on a plan without webhooks', async () => {
    await emulator.close();
    emulator = await startFreshdeskEmulator({ webhooksInPlan: false });
    const answer = await call('POST', RULES, { body: rule() });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ code: 'require_feature' });
    expect(emulator.rules()).toEqual([]);
  });

  it.each(['url', 'request_type', 'content_type', 'content_layout'])(
    'answers 500, not a validation error, to a trigger_webhook action without %s',
    async (field) => {
      const [action = {}] = rule()['actions'] as Record<string, unknown>[];
      const incomplete = rule({
        actions: [Object.fromEntries(Object.entries(action).filter(([key]) => key !== field))],
      });
      const answer = await call('POST', RULES, { body: incomplete });
      expect(answer.status).toBe(500);
      expect(emulator.rules()).toEqual([]);
    },
  );

  it('answers 400 with {description, errors:[{field,message,code}]} to a bad body', async () => {
    const answer = await call('POST', RULES, { body: rule({ colour: 'red', events: [] }, { request_type: 'FETCH' }) });
    expect(answer).toEqual({
      status: 400,
      headers: answer.headers,
      json: {
        description: 'Validation failed',
        errors: [
          { field: 'colour', message: 'Unexpected/invalid field in request', code: 'invalid_field' },
          { field: 'events', message: 'It should not be blank as this is a mandatory field', code: 'missing_field' },
          {
            field: 'request_type',
            message: "It should be one of these values: 'GET,POST,PUT,PATCH,DELETE'",
            code: 'invalid_value',
          },
        ],
      },
    });
    expect((await call('POST', RULES, { raw: '{"name":' })).json).toEqual({
      code: 'invalid_json',
      message: 'Request body has invalid json format',
    });
  });

  it('creates rules with numeric ids, returns one empty condition set when none was sent, and reads them back', async () => {
    const created = await call('POST', RULES, { body: rule() });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: 109866,
      name: 'R',
      conditions: [{ name: 'condition_set_1', match_type: 'all', properties: [] }],
    });
    expect((await call('GET', `${RULES}/109866`)).json).toEqual(created.json);
    expect((await call('GET', `${RULES}/5`)).status).toBe(404);
    expect((await call('GET', RULES)).json).toEqual([created.json]);
  });

  it('pages lists with a Link header', async () => {
    for (let index = 0; index < 31; index += 1) emulator.addRule(rule({ name: `R${index}` }));
    const first = await call('GET', RULES);
    expect(first.json).toHaveLength(30);
    expect(first.headers.get('link')).toBe(`<${emulator.baseUrl}${RULES}?page=2&per_page=30>; rel="next"`);
    const second = await call('GET', `${RULES}?page=2&per_page=30`);
    expect(second.json).toHaveLength(1);
    expect(second.headers.get('link')).toBeNull();
  });

  it('fault modes: not-found, rate-limited with Retry-After, and back to normal', async () => {
    emulator.setFault('not-found');
    expect((await call('GET', '/api/v2/agents/me')).status).toBe(404);
    emulator.setFault('rate-limited', { retryAfterSeconds: 12 });
    const limited = await call('GET', '/api/v2/agents/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('12');
    emulator.setFault(undefined);
    expect((await call('GET', '/api/v2/agents/me')).status).toBe(200);
  });

  it('logs method and path only, never a header value', async () => {
    await call('GET', '/api/v2/agents/me');
    await call('POST', RULES, { body: rule() });
    expect(emulator.requests()).toEqual([
      { method: 'GET', path: '/api/v2/agents/me' },
      { method: 'POST', path: RULES, body: rule() },
    ]);
    expect(JSON.stringify(emulator.requests())).not.toContain(ADMIN_AGENT.apiKey);
  });
});
