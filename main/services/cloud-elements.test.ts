import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT,
  startCloudElementsEmulator,
  type CloudElementsEmulator,
} from '../../e2e/emulators/cloud-elements.js';
import { apiBaseFromUrl, type ApiBase } from '../core/api-base.js';
import { AppError, type ErrorKind } from '../core/errors.js';
import { buildInstanceRequest, type InstanceRequestBody } from '../core/instance-request.js';
import { createCloudElementsClient, type CloudElementsClientOptions } from './cloud-elements.js';

const FRESHDESK_KEY = 'fd/Key+Secret=9876';
const credentials = { userSecret: DEFAULT_ACCOUNT.userSecret, orgSecret: DEFAULT_ACCOUNT.orgSecret };
const wrongCredentials = { userSecret: 'Wr0ng/User+Secret=', orgSecret: 'Wr0ng/Org+Secret==' };
const SECRETS = [credentials.userSecret, credentials.orgSecret, FRESHDESK_KEY, ...Object.values(wrongCredentials)];

function instanceBody(name = 'Freshdesk events (acme)'): InstanceRequestBody {
  const checked = buildInstanceRequest({
    name,
    tags: ['prod'],
    subdomain: 'acme.freshdesk.com',
    auth: { kind: 'apiKey', apiKey: FRESHDESK_KEY },
    callbackUrl: 'https://app.example.com/hooks/freshdesk',
  });
  if (!checked.ok) throw new Error('test body is invalid');
  return checked.body;
}

function baseOf(url: string): ApiBase {
  const checked = apiBaseFromUrl(url);
  if (!checked.ok) throw new Error(checked.message);
  return checked.value;
}

/** Retries with short pauses, so fault tests stay quick; Retry-After up to 2 s is honoured. */
const FAST_RETRY = { retries: 3, baseDelayMs: 10, maxDelayMs: 2_000 };

let emulator: CloudElementsEmulator;
let apiBase: ApiBase;

function client(options: Partial<CloudElementsClientOptions> = {}) {
  return createCloudElementsClient({ apiBase, credentials, reconcileRetryDelayMs: 50, retry: FAST_RETRY, ...options });
}

/** Runs a call that must fail and returns the AppError, checking that no secret leaked into the message. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  for (const secret of SECRETS) expect(appError.message).not.toContain(secret);
  return appError;
}

async function expectKind(promise: Promise<unknown>, kind: ErrorKind): Promise<AppError> {
  const error = await failure(promise);
  expect(error.kind).toBe(kind);
  return error;
}

beforeEach(async () => {
  emulator = await startCloudElementsEmulator();
  apiBase = baseOf(emulator.baseUrl);
});
afterEach(async () => {
  await emulator.close();
});

describe('createInstance', () => {
  it('creates one instance and returns its id, encoded id and events URL', async () => {
    const created = await client().createInstance(instanceBody());
    expect(created).toEqual({
      id: '20931',
      name: 'Freshdesk events (acme)',
      elementKey: 'freshdesk',
      createdDate: emulator.instances()[0]?.createdDate,
      encodedId: 'MjA5MzE=',
      eventsUrl: `${emulator.baseUrl}/events/freshdesk/MjA5MzE=`,
      reconciled: false,
    });
    expect(emulator.postCount()).toBe(1);
    expect(emulator.instances()[0]?.configuration).toEqual({
      subdomain: 'acme',
      'api.key': FRESHDESK_KEY,
      'event.notification.enabled': 'true',
      'event.notification.callback.url': 'https://app.example.com/hooks/freshdesk',
    });
  });

  it('sends exactly "User <u>, Organization <o>" with the secrets untouched, Accept and Content-Type JSON', async () => {
    await client().createInstance(instanceBody());
    const post = emulator.requests().find((request) => request.method === 'POST');
    expect(post).toEqual({
      method: 'POST',
      path: '/instances',
      authorization: `User ${DEFAULT_ACCOUNT.userSecret}, Organization ${DEFAULT_ACCOUNT.orgSecret}`,
      contentType: 'application/json',
    });
    expect(emulator.requests().map((request) => request.authorization)).toEqual([
      post?.authorization,
      post?.authorization,
    ]);
  });

  it('keeps every digit of an id past 2^53', async () => {
    const big = await startCloudElementsEmulator({ firstInstanceId: '9007199254740993' });
    try {
      const created = await createCloudElementsClient({ apiBase: baseOf(big.baseUrl), credentials }).createInstance(
        instanceBody(),
      );
      expect(created.id).toBe('9007199254740993');
      expect(created.encodedId).toBe(Buffer.from('9007199254740993').toString('base64'));
    } finally {
      await big.close();
    }
  });

  it('turns rejected secrets (401) into a credentials error that says where to find them', async () => {
    const error = await expectKind(
      createCloudElementsClient({ apiBase, credentials: wrongCredentials }).createInstance(instanceBody()),
      'credentials',
    );
    expect(error.status).toBe(401);
    expect(error.message).toContain('rejected the user and organization secrets');
    expect(error.message).toContain('Invalid Organization or User secret');
    expect(error.message).toContain('Secrets');
    expect(emulator.postCount()).toBe(0);
  });

  it('passes on the 400 that names every missing configuration entry', async () => {
    const body = instanceBody();
    body.configuration = { 'event.notification.enabled': 'true' };
    const error = await expectKind(client().createInstance(body), 'bad-request');
    expect(error.status).toBe(400);
    expect(error.message).toContain(
      "Missing required configuration for element 'freshdesk': subdomain, api.key or username and password.",
    );
    expect(emulator.postCount()).toBe(1);
    expect(emulator.instances()).toEqual([]);
  });

  it('reports an element the account lacks (404 on create) as a bad request with the server message', async () => {
    const limited = await startCloudElementsEmulator({
      accounts: [{ ...credentials, elements: ['freshdeskv2'] }],
    });
    try {
      const error = await expectKind(
        createCloudElementsClient({ apiBase: baseOf(limited.baseUrl), credentials }).createInstance(instanceBody()),
        'bad-request',
      );
      expect(error.message).toContain("No element found with key 'freshdesk'.");
    } finally {
      await limited.close();
    }
  });

  it.each([
    ['server-error', 500, 'An internal error occurred.'] as const,
    ['bad-gateway', 502, 'Bad Gateway'] as const,
  ])('turns %s into a server error', async (fault, status, text) => {
    emulator.setFault(fault);
    const error = await expectKind(client().createInstance(instanceBody()), 'server');
    expect(error.status).toBe(status);
    expect(error.message).toContain(String(status));
    expect(error.message).toContain(text);
    expect(error.message).not.toContain('<html>');
    expect(emulator.postCount()).toBe(0);
  });

  it('after a 5xx on the POST itself, checks by name: none was created, so it says it is safe to retry', async () => {
    emulator.setFault('server-error', { requests: 'create' });
    const error = await expectKind(client().createInstance(instanceBody()), 'server');
    expect(error.message).toContain('none was created: it is safe to try again');
    expect(emulator.postCount()).toBe(1);
  });

  it('reconciles a garbled answer by name: one POST, one instance', async () => {
    emulator.setFault('garbled');
    const created = await client().createInstance(instanceBody());
    expect(created).toMatchObject({ id: '20931', encodedId: 'MjA5MzE=', reconciled: true });
    expect(emulator.postCount()).toBe(1);
    expect(emulator.instances()).toHaveLength(1);
  });

  it('reconciles a connection dropped after the instance was created', async () => {
    emulator.setFault('drop-after-create');
    const created = await client().createInstance(instanceBody());
    expect(created).toMatchObject({ id: '20931', name: 'Freshdesk events (acme)', reconciled: true });
    expect(emulator.postCount()).toBe(1);
    expect(emulator.instances()).toHaveLength(1);
  });

  it('reconciles an answer delayed past the timeout', async () => {
    emulator.setFault('delay-after-create', { delayMs: 5_000 });
    const started = Date.now();
    const created = await client({ timeoutMs: 300 }).createInstance(instanceBody());
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(created).toMatchObject({ id: '20931', reconciled: true });
    expect(emulator.postCount()).toBe(1);
    expect(emulator.instances()).toHaveLength(1);
  });

  it('when the connection drops before anything was created, says so and that a retry is safe', async () => {
    emulator.setFault('drop-before-create');
    const error = await expectKind(client().createInstance(instanceBody()), 'network');
    expect(error.message).toContain('No instance named "Freshdesk events (acme)" exists, so none was created');
    expect(error.message).toContain('safe to try again');
    expect(emulator.postCount()).toBe(1);
  });

  it('stops at the pre-check when even the first list is unreadable, POSTing nothing', async () => {
    emulator.setFault('garbled', { requests: 'all' });
    await expectKind(client().createInstance(instanceBody()), 'unreadable');
    expect(emulator.postCount()).toBe(0);
  });

  it('when the check after a lost answer fails too, says to look before retrying (and never re-POSTs)', async () => {
    let lists = 0;
    let posts = 0;
    const server = createServer((req, res) => {
      if (req.method === 'POST') {
        posts += 1;
        req.socket.destroy();
        return;
      }
      lists += 1;
      res.writeHead(lists === 1 ? 200 : 503, { 'content-type': 'application/json' });
      res.end(lists === 1 ? '[]' : '{"requestId":"r1","message":"Service Unavailable"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const error = await expectKind(
        createCloudElementsClient({
          apiBase: baseOf(`http://127.0.0.1:${port}`),
          credentials,
          retry: FAST_RETRY,
        }).createInstance(instanceBody()),
        'network',
      );
      expect(error.message).toContain('Checking whether the instance "Freshdesk events (acme)" was created failed too');
      expect(error.message).toContain('503: Service Unavailable');
      expect(error.message).toContain('Before trying again, look for it in the instance list');
      expect(posts).toBe(1);
      // The pre-check, then the reconciling list and its retries: reads only.
      expect(lists).toBe(2 + FAST_RETRY.retries);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a name that already exists without POSTing', async () => {
    emulator.addInstance({ name: 'Freshdesk events (acme)' });
    const error = await expectKind(client().createInstance(instanceBody()), 'conflict');
    expect(error.field).toBe('name');
    expect(error.message).toContain('"Freshdesk events (acme)" already exists (ID 20931');
    expect(emulator.postCount()).toBe(0);
  });

  it('stops with "cancelled" and sends nothing when the caller aborts first', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectKind(client().createInstance(instanceBody(), { signal: controller.signal }), 'cancelled');
    expect(emulator.requests()).toEqual([]);
  });

  it('cancelled while waiting for the answer: warns that the instance may exist, and never POSTs again', async () => {
    emulator.setFault('delay-after-create', { delayMs: 5_000 });
    const controller = new AbortController();
    const pending = client().createInstance(instanceBody(), { signal: controller.signal });
    for (let wait = 0; wait < 300 && emulator.postCount() === 0; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(emulator.postCount()).toBe(1);
    controller.abort();
    const error = await expectKind(pending, 'cancelled');
    expect(error.message).toContain('may have been created');
    expect(emulator.postCount()).toBe(1);
  });

  it('refuses empty or malformed secrets before sending anything', async () => {
    for (const bad of [
      { ...credentials, userSecret: '' },
      { ...credentials, orgSecret: `${credentials.orgSecret}\n` },
      { ...credentials, userSecret: ` ${credentials.userSecret}` },
    ]) {
      const error = await expectKind(
        createCloudElementsClient({ apiBase, credentials: bad }).createInstance(instanceBody()),
        'credentials',
      );
      expect(error.message).not.toContain(credentials.orgSecret.slice(0, 8));
    }
    expect(emulator.requests()).toEqual([]);
  });
});

describe('listInstances', () => {
  it('lists every instance as summaries, with no events URL for polling elements', async () => {
    emulator.addInstance({ name: 'webhook one' });
    emulator.addInstance({
      name: 'polling one',
      elementKey: 'freshdeskv2',
      configuration: { subdomain: 'a', username: 'k' },
    });
    const list = await client().listInstances();
    expect(list).toEqual([
      {
        id: '20931',
        name: 'webhook one',
        elementKey: 'freshdesk',
        createdDate: emulator.instances()[0]?.createdDate,
        encodedId: 'MjA5MzE=',
        eventsUrl: `${emulator.baseUrl}/events/freshdesk/MjA5MzE=`,
      },
      {
        id: '20932',
        name: 'polling one',
        elementKey: 'freshdeskv2',
        createdDate: emulator.instances()[1]?.createdDate,
        encodedId: '',
        eventsUrl: '',
      },
    ]);
  });

  it('builds events URLs on the host it talks to (EU stays EU)', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        '[{"id":1234,"name":"eu","element":{"id":130,"key":"freshdesk"},"user":{"id":5678},"createdDate":1700000000000}]',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const list = await createCloudElementsClient({
        apiBase: baseOf(`http://127.0.0.1:${port}/elements/api-v2/`),
        credentials,
      }).listInstances();
      expect(list).toEqual([
        {
          id: '1234',
          name: 'eu',
          elementKey: 'freshdesk',
          createdDate: '2023-11-14T22:13:20.000Z',
          encodedId: 'MTIzNA==',
          eventsUrl: `http://127.0.0.1:${port}/elements/api-v2/events/freshdesk/MTIzNA==`,
        },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('maps 401, 5xx, 502 HTML and garbled lists to typed errors', async () => {
    await expectKind(
      createCloudElementsClient({ apiBase, credentials: wrongCredentials }).listInstances(),
      'credentials',
    );
    emulator.setFault('server-error');
    await expectKind(client().listInstances(), 'server');
    emulator.setFault('bad-gateway');
    const gateway = await expectKind(client().listInstances(), 'server');
    expect(gateway.message).toBe(
      `Cloud Elements (127.0.0.1:${emulator.port}) failed with 502 Bad Gateway: try again in a few minutes.`,
    );
    emulator.setFault('garbled', { requests: 'all' });
    emulator.addInstance({ name: 'x' });
    await expectKind(client().listInstances(), 'unreadable');
  });

  it('reports a network failure with the system error and no secret', async () => {
    const closed = await startCloudElementsEmulator();
    const base = baseOf(closed.baseUrl);
    await closed.close();
    const error = await expectKind(
      createCloudElementsClient({ apiBase: base, credentials }).listInstances(),
      'network',
    );
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reports a timeout', async () => {
    const server = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const error = await expectKind(
        createCloudElementsClient({
          apiBase: baseOf(`http://127.0.0.1:${port}`),
          credentials,
          timeoutMs: 200,
        }).listInstances(),
        'timeout',
      );
      expect(error.message).toBe(
        `Cloud Elements (127.0.0.1:${port}) did not answer within 0.2 s: check your connection, then try again.`,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a redirect instead of following it with the secrets', async () => {
    let followed = false;
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/elsewhere')) followed = true;
      res.writeHead(302, { location: '/elsewhere/elements/api-v2/instances' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const error = await expectKind(
        createCloudElementsClient({ apiBase: baseOf(`http://127.0.0.1:${port}`), credentials }).listInstances(),
        'bad-request',
      );
      expect(error.message).toContain('redirect (302) to /elsewhere/elements/api-v2/instances');
      expect(followed).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('hasElement', () => {
  it('is true for an element the account has and false on 404', async () => {
    const limited = await startCloudElementsEmulator({ accounts: [{ ...credentials, elements: ['freshdeskv2'] }] });
    try {
      const limitedClient = createCloudElementsClient({ apiBase: baseOf(limited.baseUrl), credentials });
      expect(await limitedClient.hasElement('freshdesk')).toBe(false);
      expect(await limitedClient.hasElement('freshdeskv2')).toBe(true);
    } finally {
      await limited.close();
    }
    expect(await client().hasElement('freshdesk')).toBe(true);
  });

  it('throws credentials on 401 rather than answering false', async () => {
    await expectKind(
      createCloudElementsClient({ apiBase, credentials: wrongCredentials }).hasElement('freshdesk'),
      'credentials',
    );
  });
});

describe('no secret in any message, even from a server that echoes the request', () => {
  let echoing: CloudElementsEmulator;
  beforeEach(async () => {
    echoing = await startCloudElementsEmulator({ echo: true });
  });
  afterEach(async () => {
    await echoing.close();
  });

  it('masks the secrets and the Freshdesk key that the server quoted back', async () => {
    const echoBase = baseOf(echoing.baseUrl);
    const rejected = await expectKind(
      createCloudElementsClient({ apiBase: echoBase, credentials: wrongCredentials }).listInstances(),
      'credentials',
    );
    expect(rejected.message).toContain('received Authorization: User ********, Organization ********');

    const body = instanceBody();
    delete body.configuration['subdomain'];
    const bad = await expectKind(
      createCloudElementsClient({ apiBase: echoBase, credentials }).createInstance(body),
      'bad-request',
    );
    expect(bad.message).toContain('subdomain');
    expect(bad.message).toContain('"api.key":"********"');

    echoing.setFault('server-error');
    const failed = await expectKind(
      createCloudElementsClient({ apiBase: echoBase, credentials }).createInstance(instanceBody()),
      'server',
    );
    expect(failed.message).toContain('Organization ********');
  });
});

describe('retries of reads (GET), never of the POST', () => {
  it('rides out a burst of 5xx on the list', async () => {
    emulator.setFault('server-error', { requests: 'all', count: 2 });
    expect(await client().listInstances()).toEqual([]);
    expect(emulator.requests().map((request) => request.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('waits as long as Retry-After asks on a 429, then goes on', async () => {
    emulator.setFault('rate-limited', { requests: 'all', count: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    expect(await client().hasElement('freshdesk')).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(emulator.requests()).toHaveLength(2);
  });

  it('reports a Retry-After longer than it will wait, without sleeping through it', async () => {
    emulator.setFault('rate-limited', { requests: 'all', retryAfterSeconds: 120 });
    const started = Date.now();
    const error = await expectKind(client().listInstances(), 'server');
    expect(error.message).toContain('wait 120 s');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(emulator.requests()).toHaveLength(1);
  });

  it("gives up after the policy's retries and reports the last answer", async () => {
    emulator.setFault('bad-gateway', { requests: 'all' });
    await expectKind(client().listInstances(), 'server');
    expect(emulator.requests()).toHaveLength(1 + FAST_RETRY.retries);
  });

  it('never repeats the POST on a 5xx burst: it reconciles by name', async () => {
    emulator.setFault('server-error', { requests: 'create', count: 1 });
    const error = await failure(client().createInstance(instanceBody()));
    expect(error.message).toContain('safe to try again');
    expect(emulator.postCount()).toBe(1);
    expect(emulator.instances()).toHaveLength(0);
  });

  it('stops a body that trickles in slower than the timeout', async () => {
    emulator.setFault('slow-trickle', { requests: 'all', delayMs: 200 });
    const error = await expectKind(
      client({ timeoutMs: 400, retry: { ...FAST_RETRY, retries: 0 } }).listInstances(),
      'timeout',
    );
    expect(error.message).toContain('did not answer within 0.4 s');
  });

  it('can be cancelled while waiting to retry', async () => {
    emulator.setFault('rate-limited', { requests: 'all', retryAfterSeconds: 2 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expectKind(client().listInstances({ signal: controller.signal }), 'cancelled');
  });
});

describe('cancelling a create before its POST', () => {
  it('says that nothing was created', async () => {
    emulator.setFault('slow-trickle', { requests: 'all', delayMs: 200 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await expectKind(client().createInstance(instanceBody(), { signal: controller.signal }), 'cancelled');
    expect(error.message).toBe('Cancelled before anything was sent: no instance was created.');
    expect(emulator.postCount()).toBe(0);
  });
});
