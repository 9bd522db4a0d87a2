/**
 * A local emulator of the Cloud Elements (SAP Open Connectors) platform API,
 * written from reference/cloud-elements-and-freshdesk.md §1: the exact
 * `User <u>, Organization <o>` header, `{requestId, message}` error bodies,
 * numeric instance ids, secrets masked as "********" in every answer, and the
 * failures the client must survive (5xx, 502 HTML, garbled bodies, a
 * connection dropped or an answer delayed after the instance was created).
 *
 * It deliberately imports nothing from main/: it is the other side of the wire.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const API_PATH = '/elements/api-v2';
export const MASK = '********';

export interface EmulatorAccount {
  userSecret: string;
  orgSecret: string;
  /** Element keys the account may use. Default: `freshdesk` and `freshdeskv2`. */
  elements?: readonly string[];
  /** `user.id` in instance answers. Default 5678, like the seed's sample. */
  userId?: number;
}

/** Secrets shaped like real ones (base64-like, with '/', '+' and a trailing '='). */
export const DEFAULT_ACCOUNT: Required<EmulatorAccount> = {
  userSecret: 'Qz9/kT+u2mV8xWq1LrHs0pYbE3nJ4dFg6cA7iOe5Rt=',
  orgSecret: '7b1f/Ad+93cE0e2=c4a8b+Ff6/5e1D0a==',
  elements: ['freshdesk', 'freshdeskv2'],
  userId: 5678,
};

export interface EmulatorOptions {
  /** Accounts the emulator accepts. Default: [DEFAULT_ACCOUNT]. */
  accounts?: readonly EmulatorAccount[];
  /** Id of the first created instance, as decimal digits or a number. Default 20931. Big ids (past 2^53) are sent as exact JSON numbers. */
  firstInstanceId?: number | string | bigint;
  /** Make error messages echo the Authorization header and the request body, like a careless server: for no-secret-leak tests. */
  echo?: boolean;
}

/**
 * - `none`: normal behaviour.
 * - `server-error`: 500 `{requestId, message}`, nothing created.
 * - `bad-gateway`: 502 with an HTML body (a proxy's answer), nothing created.
 * - `garbled`: 200 with a truncated JSON body; on POST /instances the instance is created first.
 * - `drop-before-create`: POST /instances destroys the socket without creating anything or answering.
 * - `drop-after-create`: POST /instances creates the instance, then the socket is destroyed without an answer.
 * - `delay-after-create`: POST /instances creates the instance, then answers only after `delayMs`.
 *
 * Rejected secrets are not a fault mode: send wrong secrets.
 */
export type FaultMode =
  | 'none'
  | 'server-error'
  | 'bad-gateway'
  | 'garbled'
  | 'drop-before-create'
  | 'drop-after-create'
  | 'delay-after-create'
  | 'rate-limited'
  | 'slow-trickle';

export interface FaultOptions {
  /**
   * Which requests the fault hits: `create` (POST /instances only) or `all`.
   * Default: `create` for garbled and the drop/delay modes (which only apply there), `all` for server-error and bad-gateway.
   */
  requests?: 'create' | 'all';
  /** For delay-after-create: how long to hold the answer; for slow-trickle: the pause between bytes. Default 5000 ms / 200 ms. */
  delayMs?: number;
  /** Only the next `count` requests the fault hits get it (a burst); then the emulator answers normally. Default: all. */
  count?: number;
  /** For rate-limited: the Retry-After header in seconds. Default 1. */
  retryAfterSeconds?: number;
}

/** An event the emulator received on its events URL, as `GET /instances/{id}/events` lists it. */
export interface ReceivedEvent {
  id: number;
  instanceId: string;
  elementKey: string;
  status: 'RECEIVED' | 'NOTIFIED';
  createdDate: string;
  contentType: string;
  body: string;
}

interface Fault {
  mode: FaultMode;
  requests: 'create' | 'all';
  delayMs: number;
  /** Requests left in a burst; Infinity when the fault lasts. */
  remaining: number;
  retryAfterSeconds: number;
}

const NO_FAULT: Fault = { mode: 'none', requests: 'all', delayMs: 0, remaining: Infinity, retryAfterSeconds: 1 };

export interface EmulatedInstance {
  /** Decimal digits. */
  id: string;
  name: string;
  elementKey: string;
  /** As received, unmasked: tests may check what the client sent. */
  configuration: Record<string, string>;
  tags: string[];
  token: string;
  createdDate: string;
  /** Index into the emulator's accounts. */
  account: number;
}

export interface RecordedRequest {
  method: string;
  /** Path below the API base, e.g. `/instances`, with the query string. */
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
}

export interface CloudElementsEmulator {
  /** `http://127.0.0.1:PORT/elements/api-v2` */
  baseUrl: string;
  port: number;
  accounts: readonly Required<EmulatorAccount>[];
  setFault(mode: FaultMode, options?: FaultOptions): void;
  /** Events posted to the events URL (`POST /events/{element}/{base64 id}`), oldest first. */
  receivedEvents(): ReceivedEvent[];
  /** Every instance created so far (copies), oldest first. */
  instances(): EmulatedInstance[];
  /** Adds an instance without an HTTP request (not counted by postCount). */
  addInstance(input: {
    name: string;
    elementKey?: string;
    configuration?: Record<string, string>;
    tags?: string[];
    account?: number;
  }): EmulatedInstance;
  /** Number of POST /instances requests received, whatever their outcome. */
  postCount(): number;
  /** Every request received, oldest first. */
  requests(): RecordedRequest[];
  /** Forgets instances, requests and counters, clears the fault; ids start again at firstInstanceId. */
  reset(): void;
  close(): Promise<void>;
}

interface ElementInfo {
  id: number;
  name: string;
  key: string;
  hub: string;
  /** Each entry is one way to satisfy the configuration: every key of one set must be present. */
  required: readonly { keys: readonly string[] }[];
  always: readonly string[];
  defaults: Record<string, string>;
}

const ELEMENTS: Record<string, ElementInfo> = {
  freshdesk: {
    id: 130,
    name: 'Freshdesk Beta',
    key: 'freshdesk',
    hub: 'helpdesk',
    always: ['subdomain'],
    required: [{ keys: ['api.key'] }, { keys: ['username', 'password'] }],
    defaults: { 'base.url': 'https://{subdomain}.freshdesk.com', 'pagination.offset': 'false', 'pagination.max': '30' },
  },
  freshdeskv2: {
    id: 491,
    name: 'Freshdesk V2',
    key: 'freshdeskv2',
    hub: 'helpdesk',
    always: ['subdomain', 'username'],
    required: [],
    defaults: { 'base.url': 'https://{subdomain}.freshdesk.com/api/v2' },
  },
};

/** Configuration values the platform never returns in clear. */
const SECRET_KEYS = ['api.key', 'password', 'event.notification.signature.key'];

const MAX_BODY = 1_000_000;

const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

interface CreateInput {
  name: string;
  elementKey: string;
  configuration: Record<string, string>;
  tags: string[];
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startCloudElementsEmulator(options: EmulatorOptions = {}): Promise<CloudElementsEmulator> {
  const accounts = (options.accounts ?? [DEFAULT_ACCOUNT]).map((account) => ({
    userSecret: account.userSecret,
    orgSecret: account.orgSecret,
    elements: [...(account.elements ?? DEFAULT_ACCOUNT.elements)],
    userId: account.userId ?? DEFAULT_ACCOUNT.userId,
  }));
  const firstId = BigInt(options.firstInstanceId ?? 20931);
  const echo = options.echo ?? false;

  let nextId = firstId;
  let created: EmulatedInstance[] = [];
  let recorded: RecordedRequest[] = [];
  let posts = 0;
  let fault: Fault = NO_FAULT;
  let received: ReceivedEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  function createInstance(account: number, input: CreateInput): EmulatedInstance {
    const instance: EmulatedInstance = {
      id: String(nextId),
      name: input.name,
      elementKey: input.elementKey,
      configuration: { ...input.configuration },
      tags: [...input.tags],
      token: randomBytes(24).toString('base64'),
      createdDate: new Date().toISOString(),
      account,
    };
    nextId += 1n;
    created.push(instance);
    return instance;
  }

  function instanceJson(instance: EmulatedInstance): string {
    const element = ELEMENTS[instance.elementKey];
    const configuration: Record<string, string> = { ...(element?.defaults ?? {}) };
    for (const [key, value] of Object.entries(instance.configuration)) {
      // freshdeskv2 holds the Freshdesk API key in `username`.
      const secret = SECRET_KEYS.includes(key) || (instance.elementKey === 'freshdeskv2' && key === 'username');
      configuration[key] = secret ? MASK : value;
    }
    const account = accounts[instance.account];
    const marker = `@@id-${randomBytes(6).toString('hex')}@@`;
    const body = {
      id: marker,
      name: instance.name,
      createdDate: instance.createdDate,
      token: instance.token,
      element: {
        id: element?.id ?? 0,
        name: element?.name ?? instance.elementKey,
        key: instance.elementKey,
        hub: element?.hub ?? 'general',
        active: true,
        deleted: false,
        typeOauth: false,
        trialAccount: false,
      },
      elementId: element?.id ?? 0,
      provisionInteractions: [],
      valid: true,
      disabled: false,
      maxCacheSize: 0,
      cacheTimeToLive: 0,
      configuration,
      eventsEnabled: instance.configuration['event.notification.enabled'] === 'true',
      cachingEnabled: false,
      externalAuthentication: 'none',
      user: { id: account?.userId ?? 0 },
      tags: instance.tags,
    };
    // The id goes out as a bare JSON number with every digit, however big.
    return JSON.stringify(body).replace(`"${marker}"`, instance.id);
  }

  function accountFor(authorization: string | undefined): number {
    return accounts.findIndex((a) => authorization === `User ${a.userSecret}, Organization ${a.orgSecret}`);
  }

  function problemBody(message: string): string {
    return JSON.stringify({ requestId: randomBytes(12).toString('hex'), message });
  }

  function send(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  function garble(body: string): string {
    return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY) throw new HttpProblem(413, 'Request body too large.');
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  function validateCreate(account: number, raw: string, echoText: string): CreateInput {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new HttpProblem(400, `The request body is not valid JSON.${echoText}`);
    }
    if (!isRecord(parsed)) throw new HttpProblem(400, `The request body must be a JSON object.${echoText}`);
    const element = parsed['element'];
    const elementKey = isRecord(element) && typeof element['key'] === 'string' ? element['key'] : undefined;
    if (elementKey === undefined || elementKey === '') {
      throw new HttpProblem(400, `Missing element key: send "element": {"key": "..."}.${echoText}`);
    }
    const info = ELEMENTS[elementKey];
    if (info === undefined || !accounts[account]?.elements.includes(elementKey)) {
      throw new HttpProblem(404, `No element found with key '${elementKey}'.${echoText}`);
    }
    const name = parsed['name'];
    if (typeof name !== 'string' || name.trim() === '') {
      throw new HttpProblem(400, `Missing required field: name.${echoText}`);
    }
    const rawConfig = parsed['configuration'];
    const configuration: Record<string, string> = {};
    if (rawConfig !== undefined) {
      if (!isRecord(rawConfig)) throw new HttpProblem(400, `"configuration" must be an object.${echoText}`);
      for (const [key, value] of Object.entries(rawConfig)) {
        if (typeof value === 'string') configuration[key] = value;
        else if (typeof value === 'number' || typeof value === 'boolean') configuration[key] = String(value);
        else if (typeof value === 'object' && value !== null) configuration[key] = JSON.stringify(value);
        else throw new HttpProblem(400, `Configuration entry '${key}' must be a string.${echoText}`);
      }
    }
    const present = (key: string): boolean => (configuration[key] ?? '').trim() !== '';
    const missing = info.always.filter((key) => !present(key));
    if (info.required.length > 0 && !info.required.some((set) => set.keys.every(present))) {
      missing.push(info.required.map((set) => set.keys.filter((key) => !present(key)).join(' and ')).join(' or '));
    }
    if (missing.length > 0) {
      throw new HttpProblem(
        400,
        `Missing required configuration for element '${elementKey}': ${missing.join(', ')}.${echoText}`,
      );
    }
    const rawTags = parsed['tags'];
    const tags = Array.isArray(rawTags) ? rawTags.filter((tag): tag is string => typeof tag === 'string') : [];
    return { name, elementKey, configuration, tags };
  }

  /** The inbound events URL: the id is base64 of the instance id, as Cloud Elements documents for freshdesk. */
  function receiveEvent(
    res: ServerResponse,
    elementKey: string,
    encodedId: string,
    contentType: string,
    body: string,
  ): void {
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(encodedId) ? Buffer.from(encodedId, 'base64').toString('latin1') : '';
    const instance = created.find((candidate) => candidate.id === decoded && candidate.elementKey === elementKey);
    if (!/^\d+$/.test(decoded) || Buffer.from(decoded).toString('base64') !== encodedId || !instance) {
      send(res, 404, problemBody(`No ${elementKey} instance matches the events URL suffix '${encodedId}'.`));
      return;
    }
    received.push({
      id: received.length + 1,
      instanceId: instance.id,
      elementKey,
      status: 'RECEIVED',
      createdDate: new Date().toISOString(),
      contentType,
      body,
    });
    send(res, 200, '{}');
  }

  /** Answers 200 and then sends the body one byte at a time, so only a total timeout ends the wait. */
  function trickle(res: ServerResponse, everyMs: number): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    const bytes = [...'[{"id": 1, "name": "slow"}]'];
    const timer = setInterval(() => {
      const next = bytes.shift();
      if (next === undefined || res.destroyed) {
        clearInterval(timer);
        timers.delete(timer);
        res.end();
        return;
      }
      res.write(next);
    }, everyMs);
    timers.add(timer);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const authorization = req.headers.authorization;
    const contentType = req.headers['content-type'];
    if (!url.pathname.startsWith(`${API_PATH}/`)) {
      send(res, 404, problemBody(`No resource at ${url.pathname}.`));
      return;
    }
    const path = url.pathname.slice(API_PATH.length);
    const inbound = /^\/events\/([a-z0-9]+)\/([^/]*)$/.exec(path);
    if (inbound && method === 'POST') {
      // The events URL: Freshdesk posts here without Cloud Elements credentials.
      receiveEvent(
        res,
        inbound[1] ?? '',
        decodeURIComponent(inbound[2] ?? ''),
        req.headers['content-type'] ?? '',
        await readBody(req),
      );
      return;
    }
    recorded.push({ method, path: `${path}${url.search}`, authorization, contentType });
    const isCreate = method === 'POST' && path === '/instances';
    if (isCreate) posts += 1;

    const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(req) : '';
    const echoText = echo ? ` (received Authorization: ${authorization ?? '(none)'}; body: ${body})` : '';

    // The fault this request meets, if any; a burst counts down and then clears itself.
    const hits = fault.mode !== 'none' && (fault.requests === 'all' || isCreate) && fault.remaining > 0;
    const active: FaultMode = hits ? fault.mode : 'none';
    const faultDelayMs = fault.delayMs;
    const retryAfter = fault.retryAfterSeconds;
    if (hits) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) fault = { ...NO_FAULT };
    }
    if (active === 'rate-limited') {
      res.setHeader('Retry-After', String(retryAfter));
      send(res, 429, problemBody('Rate limit exceeded.'));
      return;
    }
    if (active === 'slow-trickle') {
      trickle(res, faultDelayMs);
      return;
    }
    if (active === 'bad-gateway') {
      send(res, 502, BAD_GATEWAY_HTML, 'text/html');
      return;
    }
    if (active === 'server-error') {
      send(res, 500, problemBody(`An internal error occurred.${echoText}`));
      return;
    }

    const account = accountFor(authorization);
    if (account === -1) {
      send(res, 401, problemBody(`Invalid Organization or User secret, or invalid Element token provided.${echoText}`));
      return;
    }
    const accept = req.headers.accept;
    if (accept !== undefined && !/(^|[\s,])(application\/json|application\/\*|\*\/\*)(\s*;|\s*,|\s*$)/.test(accept)) {
      send(res, 406, problemBody(`Cannot produce a response matching Accept: ${accept}.`));
      return;
    }

    const reply = (status: number, json: string): void => {
      send(res, status, active === 'garbled' ? garble(json) : json);
    };

    if (path === '/instances') {
      if (method === 'GET') {
        const tags = url.searchParams.getAll('tags[]');
        const list = created.filter(
          (instance) => instance.account === account && tags.every((tag) => instance.tags.includes(tag)),
        );
        reply(200, `[${list.map(instanceJson).join(',')}]`);
        return;
      }
      if (method === 'POST') {
        if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
          send(res, 415, problemBody(`Unsupported Content-Type: ${contentType ?? '(none)'}; send application/json.`));
          return;
        }
        const input = validateCreate(account, body, echoText);
        if (active === 'drop-before-create') {
          req.socket.destroy();
          return;
        }
        const instance = createInstance(account, input);
        if (active === 'drop-after-create') {
          req.socket.destroy();
          return;
        }
        if (active === 'delay-after-create') {
          const timer = setTimeout(() => {
            timers.delete(timer);
            send(res, 200, instanceJson(instance));
          }, faultDelayMs);
          timers.add(timer);
          return;
        }
        reply(200, instanceJson(instance));
        return;
      }
      send(res, 405, problemBody(`Method ${method} is not allowed on /instances.`));
      return;
    }

    const events = /^\/instances\/([^/]+)\/events$/.exec(path);
    if (events && method === 'GET') {
      const id = events[1] ?? '';
      if (!created.some((candidate) => candidate.id === id && candidate.account === account)) {
        send(res, 404, problemBody(`No instance found with ID ${id}.`));
        return;
      }
      const list = received
        .filter((event) => event.instanceId === id)
        .map((event) => ({
          id: event.id,
          status: event.status,
          createdDate: event.createdDate,
          elementKey: event.elementKey,
        }));
      reply(200, JSON.stringify(list));
      return;
    }

    const one = /^\/instances\/([^/]+)$/.exec(path);
    if (one) {
      const id = one[1] ?? '';
      const instance = created.find((candidate) => candidate.id === id && candidate.account === account);
      if (method === 'GET' || method === 'DELETE') {
        if (!instance) {
          send(res, 404, problemBody(`No instance found with ID ${id}.`));
          return;
        }
        if (method === 'DELETE') {
          created = created.filter((candidate) => candidate !== instance);
          send(res, 200, '');
          return;
        }
        reply(200, instanceJson(instance));
        return;
      }
      send(res, 405, problemBody(`Method ${method} is not allowed on /instances/{id}.`));
      return;
    }

    const element = /^\/elements\/([^/]+)$/.exec(path);
    if (element) {
      const key = decodeURIComponent(element[1] ?? '');
      const info = ELEMENTS[key];
      if (method !== 'GET') {
        send(res, 405, problemBody(`Method ${method} is not allowed on /elements/{key}.`));
        return;
      }
      if (!info || !accounts[account]?.elements.includes(key)) {
        send(res, 404, problemBody(`No element found with key '${key}'.`));
        return;
      }
      reply(
        200,
        JSON.stringify({
          id: info.id,
          name: info.name,
          key: info.key,
          hub: info.hub,
          active: true,
          deleted: false,
          typeOauth: false,
          trialAccount: false,
        }),
      );
      return;
    }

    send(res, 404, problemBody(`No resource at ${url.pathname}.`));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpProblem) send(res, error.status, problemBody(error.message));
      else send(res, 500, problemBody('Emulator failure.'));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}${API_PATH}`,
    port,
    accounts,
    setFault(mode, faultOptions = {}) {
      const createOnly = mode === 'drop-before-create' || mode === 'drop-after-create' || mode === 'delay-after-create';
      const requests = createOnly ? 'create' : (faultOptions.requests ?? (mode === 'garbled' ? 'create' : 'all'));
      fault = {
        mode,
        requests,
        delayMs: faultOptions.delayMs ?? (mode === 'slow-trickle' ? 200 : 5000),
        remaining: faultOptions.count ?? Infinity,
        retryAfterSeconds: faultOptions.retryAfterSeconds ?? 1,
      };
    },
    receivedEvents: () => received.map((event) => ({ ...event })),
    instances: () => created.map((instance) => ({ ...instance, configuration: { ...instance.configuration } })),
    addInstance(input) {
      return createInstance(input.account ?? 0, {
        name: input.name,
        elementKey: input.elementKey ?? 'freshdesk',
        configuration: input.configuration ?? { subdomain: 'acme', 'api.key': 'seeded-key' },
        tags: input.tags ?? [],
      });
    },
    postCount: () => posts,
    requests: () => recorded.map((request) => ({ ...request })),
    reset() {
      created = [];
      recorded = [];
      posts = 0;
      nextId = firstId;
      fault = { ...NO_FAULT };
      received = [];
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
