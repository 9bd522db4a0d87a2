import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, MASK, startCloudElementsEmulator, type CloudElementsEmulator } from './cloud-elements.js';

const auth = `User ${DEFAULT_ACCOUNT.userSecret}, Organization ${DEFAULT_ACCOUNT.orgSecret}`;
const body = {
  element: { key: 'freshdesk' },
  configuration: {
    subdomain: 'acme',
    'api.key': 'fd-api-key-123',
    'event.notification.enabled': 'true',
    'event.notification.callback.url': 'https://app.example.com/hooks',
  },
  tags: ['prod'],
  name: 'Freshdesk events (acme)',
};

let emulator: CloudElementsEmulator;
beforeEach(async () => {
  emulator = await startCloudElementsEmulator();
});
afterEach(async () => {
  await emulator.close();
});

function post(json: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emulator.baseUrl}/instances`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json', ...headers },
    body: typeof json === 'string' ? json : JSON.stringify(json),
  });
}

describe('the Cloud Elements emulator', () => {
  it('listens on 127.0.0.1 under /elements/api-v2 with secrets shaped like real ones', () => {
    expect(emulator.baseUrl).toBe(`http://127.0.0.1:${emulator.port}/elements/api-v2`);
    for (const secret of [DEFAULT_ACCOUNT.userSecret, DEFAULT_ACCOUNT.orgSecret]) {
      expect(secret).toMatch(/\//);
      expect(secret).toMatch(/\+/);
      expect(secret).toMatch(/=$/);
    }
  });

  it.each([
    ['swapped order', `Organization ${DEFAULT_ACCOUNT.orgSecret}, User ${DEFAULT_ACCOUNT.userSecret}`],
    ['Basic', `Basic ${Buffer.from(`${DEFAULT_ACCOUNT.userSecret}:${DEFAULT_ACCOUNT.orgSecret}`).toString('base64')}`],
    ['Bearer prefix', `Bearer User ${DEFAULT_ACCOUNT.userSecret}, Organization ${DEFAULT_ACCOUNT.orgSecret}`],
    ["trimmed '='", `User ${DEFAULT_ACCOUNT.userSecret.replace(/=+$/, '')}, Organization ${DEFAULT_ACCOUNT.orgSecret}`],
    ['no comma', `User ${DEFAULT_ACCOUNT.userSecret} Organization ${DEFAULT_ACCOUNT.orgSecret}`],
    ['lower case', `user ${DEFAULT_ACCOUNT.userSecret}, organization ${DEFAULT_ACCOUNT.orgSecret}`],
    ['wrong secrets', 'User nope, Organization nope'],
  ])('answers 401 {requestId, message} to a malformed header (%s)', async (_label, header) => {
    const response = await fetch(`${emulator.baseUrl}/instances`, { headers: { Authorization: header } });
    expect(response.status).toBe(401);
    const json = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['message', 'requestId']);
    expect(json['message']).toMatch(/secret/i);
  });

  it('answers 401 without any Authorization header', async () => {
    const response = await fetch(`${emulator.baseUrl}/instances`);
    expect(response.status).toBe(401);
  });

  it('creates an instance with sequential numeric ids from 20931, masking secrets', async () => {
    const first = await post(body);
    expect(first.status).toBe(200);
    const text = await first.text();
    expect(text).toMatch(/^\{"id":20931,/);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json).toMatchObject({
      id: 20931,
      name: 'Freshdesk events (acme)',
      element: { id: 130, key: 'freshdesk' },
      elementId: 130,
      user: { id: 5678 },
      valid: true,
      eventsEnabled: true,
      tags: ['prod'],
      configuration: {
        subdomain: 'acme',
        'api.key': MASK,
        'event.notification.callback.url': 'https://app.example.com/hooks',
      },
    });
    expect(typeof json['token']).toBe('string');
    expect(new Date(String(json['createdDate'])).toString()).not.toBe('Invalid Date');
    expect(text).not.toContain('fd-api-key-123');

    const second = (await (await post({ ...body, name: 'second' })).json()) as { id: number };
    expect(second.id).toBe(20932);
    expect(emulator.postCount()).toBe(2);
    expect(emulator.instances().map((instance) => [instance.id, instance.name])).toEqual([
      ['20931', 'Freshdesk events (acme)'],
      ['20932', 'second'],
    ]);
    expect(emulator.instances()[0]?.configuration['api.key']).toBe('fd-api-key-123');
  });

  it('masks the password of a username + password instance', async () => {
    const response = await post({
      ...body,
      configuration: { subdomain: 'acme', username: 'a@b.c', password: 'pw-secret' },
    });
    const json = (await response.json()) as { configuration: Record<string, string> };
    expect(json.configuration['password']).toBe(MASK);
    expect(json.configuration['username']).toBe('a@b.c');
  });

  it('names every missing configuration entry in a 400', async () => {
    const response = await post({ ...body, configuration: {} });
    expect(response.status).toBe(400);
    const json = (await response.json()) as { message: string; requestId: string };
    expect(json.message).toBe(
      "Missing required configuration for element 'freshdesk': subdomain, api.key or username and password.",
    );
    expect(json.requestId).toMatch(/^[0-9a-f]{24}$/);
    const partial = (await (await post({ ...body, configuration: { subdomain: 'a', username: 'u' } })).json()) as {
      message: string;
    };
    expect(partial.message).toBe("Missing required configuration for element 'freshdesk': api.key or password.");
    expect(emulator.instances()).toEqual([]);
    expect(emulator.postCount()).toBe(2);
  });

  it('refuses an element the account does not have, and a missing element key', async () => {
    const limited = await startCloudElementsEmulator({
      accounts: [{ userSecret: 'u/1+=', orgSecret: 'o/2+=', elements: ['freshdeskv2'] }],
    });
    try {
      const headers = { Authorization: 'User u/1+=, Organization o/2+=' };
      const create = await fetch(`${limited.baseUrl}/instances`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(create.status).toBe(404);
      expect(((await create.json()) as { message: string }).message).toBe("No element found with key 'freshdesk'.");
      expect((await fetch(`${limited.baseUrl}/elements/freshdesk`, { headers })).status).toBe(404);
      const v2 = await fetch(`${limited.baseUrl}/elements/freshdeskv2`, { headers });
      expect(v2.status).toBe(200);
      expect(await v2.json()).toMatchObject({ id: 491, key: 'freshdeskv2' });
    } finally {
      await limited.close();
    }
    const noKey = await post({ ...body, element: {} });
    expect(noKey.status).toBe(400);
  });

  it('answers 415 to a POST that is not application/json, 400 to invalid JSON', async () => {
    expect((await post(body, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post('{"name":', {})).status).toBe(400);
    expect(emulator.instances()).toEqual([]);
  });

  it('lists instances as a JSON array and gets one by id', async () => {
    expect(await (await fetch(`${emulator.baseUrl}/instances`, { headers: { Authorization: auth } })).json()).toEqual(
      [],
    );
    emulator.addInstance({ name: 'seeded' });
    await post(body);
    const list = (await (
      await fetch(`${emulator.baseUrl}/instances`, { headers: { Authorization: auth } })
    ).json()) as { id: number; name: string; configuration: Record<string, string> }[];
    expect(list.map((instance) => [instance.id, instance.name])).toEqual([
      [20931, 'seeded'],
      [20932, 'Freshdesk events (acme)'],
    ]);
    expect(list[0]?.configuration['api.key']).toBe(MASK);
    expect(emulator.postCount()).toBe(1);
    const one = await fetch(`${emulator.baseUrl}/instances/20932`, { headers: { Authorization: auth } });
    expect(((await one.json()) as { name: string }).name).toBe('Freshdesk events (acme)');
    expect((await fetch(`${emulator.baseUrl}/instances/99`, { headers: { Authorization: auth } })).status).toBe(404);
  });

  it('writes ids past 2^53 with every digit', async () => {
    const big = await startCloudElementsEmulator({ firstInstanceId: '9007199254740993' });
    try {
      const response = await fetch(`${big.baseUrl}/instances`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(await response.text()).toMatch(/^\{"id":9007199254740993,/);
    } finally {
      await big.close();
    }
  });

  it('answers 500 and 502 HTML in the server fault modes, creating nothing', async () => {
    emulator.setFault('server-error');
    const failed = await post(body);
    expect(failed.status).toBe(500);
    expect(Object.keys((await failed.json()) as object).sort()).toEqual(['message', 'requestId']);
    emulator.setFault('bad-gateway');
    const gateway = await fetch(`${emulator.baseUrl}/instances`, { headers: { Authorization: auth } });
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toBe('text/html');
    expect(await gateway.text()).toContain('<h1>502 Bad Gateway</h1>');
    expect(emulator.instances()).toEqual([]);
  });

  it('garbles the create answer after creating (lists stay readable unless asked)', async () => {
    emulator.setFault('garbled');
    const response = await post(body);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(emulator.instances()).toHaveLength(1);
    const list = await fetch(`${emulator.baseUrl}/instances`, { headers: { Authorization: auth } });
    expect(await list.json()).toHaveLength(1);
    emulator.setFault('garbled', { requests: 'all' });
    const garbledList = await fetch(`${emulator.baseUrl}/instances`, { headers: { Authorization: auth } });
    expect(garbledList.status).toBe(200);
    const garbledText = await garbledList.text();
    expect(garbledText.startsWith('[{"id":20931,')).toBe(true);
    expect(() => JSON.parse(garbledText) as unknown).toThrow();
  });

  it('drops the connection after creating', async () => {
    emulator.setFault('drop-after-create');
    await expect(post(body)).rejects.toThrow();
    expect(emulator.instances()).toHaveLength(1);
    expect(emulator.postCount()).toBe(1);
  });

  it('drops the connection before creating', async () => {
    emulator.setFault('drop-before-create');
    await expect(post(body)).rejects.toThrow();
    expect(emulator.instances()).toHaveLength(0);
  });

  it('delays the answer after creating', async () => {
    emulator.setFault('delay-after-create', { delayMs: 300 });
    const started = Date.now();
    const response = await post(body);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(((await response.json()) as { id: number }).id).toBe(20931);
  });

  it('creates before the delay, so a client that gives up still leaves one instance; close() does not wait', async () => {
    emulator.setFault('delay-after-create', { delayMs: 60_000 });
    const gaveUp = fetch(`${emulator.baseUrl}/instances`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(200),
    });
    await expect(gaveUp).rejects.toThrow();
    expect(emulator.instances()).toHaveLength(1);
  });

  it('resets to a clean state', async () => {
    await post(body);
    emulator.setFault('server-error');
    emulator.reset();
    expect(emulator.instances()).toEqual([]);
    expect(emulator.postCount()).toBe(0);
    expect(emulator.requests()).toEqual([]);
    const again = (await (await post(body)).json()) as { id: number };
    expect(again.id).toBe(20931);
  });

  it('records each request with its header and content type', async () => {
    await post(body);
    expect(emulator.requests()).toEqual([
      { method: 'POST', path: '/instances', authorization: auth, contentType: 'application/json' },
    ]);
  });

  it('keeps each account to its own instances', async () => {
    const two = await startCloudElementsEmulator({
      accounts: [DEFAULT_ACCOUNT, { userSecret: 'other/u=', orgSecret: 'other/o=' }],
    });
    try {
      two.addInstance({ name: 'mine', account: 1 });
      const list = await fetch(`${two.baseUrl}/instances`, { headers: { Authorization: auth } });
      expect(await list.json()).toEqual([]);
    } finally {
      await two.close();
    }
  });

  it('answers 404 for anything outside the API', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      request(`http://127.0.0.1:${emulator.port}/other`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(response).toBe(404);
  });
});
