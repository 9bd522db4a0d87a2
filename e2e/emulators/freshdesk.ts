/**
 * A local emulator of the few Freshdesk API v2 endpoints the app uses, written
 * from reference/cloud-elements-and-freshdesk.md §2: HTTP Basic with the API
 * key as user (any password), `GET /api/v2/agents/me`, and the ticket-updates
 * automation rules (`GET`/`POST /api/v2/automations/4/rules`,
 * `GET /api/v2/automations/4/rules/{id}`) with numeric ids.
 *
 * The quirks it reproduces: 401 `{"code":"invalid_credentials",...}`; 403 on
 * automations for an agent who is not an admin, and on a trigger_webhook rule
 * for a plan without webhooks; 500 (not a validation error) for a
 * trigger_webhook action missing url, request_type, content_type or
 * content_layout; 400 `{description, errors:[{field,message,code}]}` for other
 * bad bodies; a rule created without conditions comes back with one empty
 * condition set; lists paginate (per_page 30 by default, at most 100) with a
 * `Link: <...>; rel="next"` header. The 403, 404, 429 and 500 bodies are not
 * documented anywhere we could find: they are plausible, not confirmed.
 *
 * The emulator serves one account; `setFault('not-found')` makes it answer
 * like a subdomain with no account behind it.
 *
 * It deliberately imports nothing from main/: it is the other side of the wire.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface EmulatedAgent {
  id: number;
  apiKey: string;
  name: string;
  email: string;
  /** Account administrators may manage automations; other agents get 403 there. */
  admin: boolean;
}

/** Keys shaped like Freshdesk's (20 letters and digits). */
export const ADMIN_AGENT: EmulatedAgent = {
  id: 43001234567,
  apiKey: 'Zq8sTn3VwX1yB5cD7eFg',
  name: 'Ada Admin',
  email: 'ada@acme.example',
  admin: true,
};
export const PLAIN_AGENT: EmulatedAgent = {
  id: 43001234568,
  apiKey: 'Hk2mLp9QrS4tU6vW0xYz',
  name: 'Sam Support',
  email: 'sam@acme.example',
  admin: false,
};

export interface FreshdeskEmulatorOptions {
  /** Agents whose API keys the emulator accepts. Default: [ADMIN_AGENT, PLAIN_AGENT]. */
  agents?: readonly EmulatedAgent[];
  /** False for a plan without "Trigger Webhook" (since December 2025: below Growth). Default true. */
  webhooksInPlan?: boolean;
  /** Id of the first rule created. Default 109866. */
  firstRuleId?: number;
  /** Make error messages echo the Authorization header and the API key, like a careless server: for no-leak tests. */
  echo?: boolean;
}

/**
 * - `not-found`: 404 to every request (no account at this subdomain).
 * - `rate-limited`: 429 to every request, with `Retry-After` (options.retryAfterSeconds, default 30).
 * - `server-error`: 500 (options.requests: `all`, the default, or `create` for POST rules only; nothing is created).
 * - `garbled`: 200/201 with a truncated JSON body (on POST the rule is created first).
 * - `slow`: every answer is held for options.delayMs (default 5000).
 * - `drop-after-create`: POST rules creates the rule, then destroys the socket without answering.
 * - `strip-webhook-action`: POST rules stores (and answers with) trigger_webhook actions reduced to their field_name.
 */
export type FreshdeskFault =
  'not-found' | 'rate-limited' | 'server-error' | 'garbled' | 'slow' | 'drop-after-create' | 'strip-webhook-action';

export interface FreshdeskFaultOptions {
  requests?: 'all' | 'create';
  retryAfterSeconds?: number;
  delayMs?: number;
}

export type JsonRecord = Record<string, unknown>;

export interface FreshdeskRequest {
  method: string;
  /** Path with query string, e.g. `/api/v2/automations/4/rules?page=2`. */
  path: string;
  /** The parsed JSON body of a POST, when it was JSON (rule bodies hold no secret). */
  body?: unknown;
}

export interface FreshdeskEmulator {
  /** `http://127.0.0.1:PORT` (the account origin; the API is under /api/v2). */
  baseUrl: string;
  port: number;
  setFault(mode: FreshdeskFault | undefined, options?: FreshdeskFaultOptions): void;
  /** Every rule that runs on ticket updates, as the API returns them (copies), oldest first. */
  rules(): JsonRecord[];
  /** Adds a ticket-updates rule without an HTTP request (as if made in the admin UI); returns it with its id. */
  addRule(rule: JsonRecord): JsonRecord;
  /** Every request received, oldest first: method and path, never a header value. */
  requests(): FreshdeskRequest[];
  close(): Promise<void>;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
const MAX_BODY = 1_000_000;
const RATE_LIMIT_TOTAL = 400;

const REQUEST_TYPES = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const CONTENT_TYPES = ['JSON', 'XML', 'X-FORM-URLENCODED'];
/** Both spellings seen in public code are accepted: which one Freshdesk wants is unconfirmed. */
const CONTENT_LAYOUTS = ['1', '2', 'simple', 'advanced'];
const WEBHOOK_REQUIRED = ['url', 'request_type', 'content_type', 'content_layout'];
const RULE_FIELDS = [
  'name',
  'description',
  'position',
  'active',
  'operator',
  'performer',
  'events',
  'conditions',
  'actions',
];

const NOT_FOUND_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body><h1>There is no helpdesk here!</h1></body></html>\n';

interface FieldError {
  field: string;
  message: string;
  code: string;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonRecord,
  ) {
    super(`HTTP ${status}`);
  }
}

function validation(errors: FieldError[]): HttpProblem {
  return new HttpProblem(400, { description: 'Validation failed', errors });
}

export async function startFreshdeskEmulator(options: FreshdeskEmulatorOptions = {}): Promise<FreshdeskEmulator> {
  const agents = (options.agents ?? [ADMIN_AGENT, PLAIN_AGENT]).map((agent) => ({ ...agent }));
  const webhooksInPlan = options.webhooksInPlan ?? true;
  const echo = options.echo ?? false;
  let nextId = options.firstRuleId ?? 109866;
  const stored: JsonRecord[] = [];
  const recorded: FreshdeskRequest[] = [];
  let fault:
    { mode: FreshdeskFault; requests: 'all' | 'create'; retryAfterSeconds: number; delayMs: number } | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let port = 0;
  const origin = (): string => `http://127.0.0.1:${port}`;

  function storeRule(input: JsonRecord, agent: EmulatedAgent | undefined): JsonRecord {
    const now = new Date().toISOString();
    const conditions =
      Array.isArray(input['conditions']) && input['conditions'].length > 0 ? input['conditions'] : undefined;
    const rule: JsonRecord = {
      id: nextId,
      name: input['name'],
      description: input['description'] ?? null,
      position: typeof input['position'] === 'number' ? input['position'] : stored.length + 1,
      active: input['active'] ?? true,
      outdated: false,
      performer: input['performer'] ?? { type: 1 },
      events: input['events'] ?? [],
      // As the real API does: no conditions in, one empty condition set out.
      conditions: conditions ?? [{ name: 'condition_set_1', match_type: 'all', properties: [] }],
      operator: input['operator'] ?? 'condition_set_1',
      actions: input['actions'] ?? [],
      summary: {},
      affected_tickets_count: 0,
      last_updated_by: agent?.id ?? null,
      created_at: now,
      updated_at: now,
    };
    nextId += 1;
    stored.push(rule);
    return rule;
  }

  function agentFor(authorization: string | undefined): EmulatedAgent | undefined {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return undefined;
    const user = decoded.slice(0, colon);
    // With an API key the password is ignored (curl -u key:X by convention).
    return agents.find((agent) => agent.apiKey === user);
  }

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    const contentType = headers['content-type'] ?? 'application/json; charset=utf-8';
    res.writeHead(status, {
      'x-ratelimit-total': String(RATE_LIMIT_TOTAL),
      'x-ratelimit-remaining': String(RATE_LIMIT_TOTAL - 1),
      'x-ratelimit-used-currentrequest': '1',
      ...headers,
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY)
        throw new HttpProblem(413, { code: 'payload_too_large', message: 'Request body is too large.' });
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  function validateRule(parsed: unknown): JsonRecord {
    if (!isRecord(parsed))
      throw validation([{ field: 'body', message: 'It should be a/an JSON object', code: 'datatype_mismatch' }]);
    const errors: FieldError[] = [];
    for (const key of Object.keys(parsed)) {
      if (!RULE_FIELDS.includes(key))
        errors.push({ field: key, message: 'Unexpected/invalid field in request', code: 'invalid_field' });
    }
    const name = parsed['name'];
    if (typeof name !== 'string' || name.trim() === '') {
      errors.push({ field: 'name', message: 'It should be a/an String', code: 'missing_field' });
    } else if (name.length > 255) {
      errors.push({
        field: 'name',
        message: `Has ${name.length} characters, it can have maximum of 255 characters`,
        code: 'invalid_value',
      });
    }
    if (parsed['active'] !== undefined && typeof parsed['active'] !== 'boolean') {
      errors.push({ field: 'active', message: 'It should be a/an Boolean', code: 'datatype_mismatch' });
    }
    const performer = parsed['performer'];
    if (!isRecord(performer) || typeof performer['type'] !== 'number') {
      errors.push({ field: 'performer', message: 'It should contain elements of type: type', code: 'missing_field' });
    }
    const events = parsed['events'];
    if (!Array.isArray(events) || events.length === 0) {
      errors.push({
        field: 'events',
        message: 'It should not be blank as this is a mandatory field',
        code: 'missing_field',
      });
    } else if (!events.every((event) => isRecord(event) && typeof event['field_name'] === 'string')) {
      errors.push({
        field: 'events',
        message: 'It should contain elements of type: field_name',
        code: 'invalid_value',
      });
    }
    const conditions = parsed['conditions'];
    if (conditions !== undefined && !Array.isArray(conditions)) {
      errors.push({ field: 'conditions', message: 'It should be a/an Array', code: 'datatype_mismatch' });
    }
    const actions = parsed['actions'];
    if (!Array.isArray(actions) || actions.length === 0) {
      errors.push({
        field: 'actions',
        message: 'It should not be blank as this is a mandatory field',
        code: 'missing_field',
      });
    } else {
      for (const action of actions) {
        if (!isRecord(action) || typeof action['field_name'] !== 'string') {
          errors.push({
            field: 'actions',
            message: 'It should contain elements of type: field_name',
            code: 'invalid_value',
          });
          continue;
        }
        if (action['field_name'] !== 'trigger_webhook') continue;
        // The real API does not name what is missing here: it fails (terraform-provider-freshdesk 0.1.2).
        if (
          WEBHOOK_REQUIRED.some(
            (field) => action[field] === undefined || action[field] === null || action[field] === '',
          )
        ) {
          throw new HttpProblem(500, {
            code: 'internal_error',
            message: 'We are sorry, something went wrong. Please try again later.',
          });
        }
        const requestType = action['request_type'];
        if (typeof requestType !== 'string' || !REQUEST_TYPES.includes(requestType)) {
          errors.push({
            field: 'request_type',
            message: `It should be one of these values: '${REQUEST_TYPES.join(',')}'`,
            code: 'invalid_value',
          });
        }
        const contentType = action['content_type'];
        if (typeof contentType !== 'string' || !CONTENT_TYPES.includes(contentType)) {
          errors.push({
            field: 'content_type',
            message: `It should be one of these values: '${CONTENT_TYPES.join(',')}'`,
            code: 'invalid_value',
          });
        }
        const layout = action['content_layout'];
        if (typeof layout !== 'string' || !CONTENT_LAYOUTS.includes(layout)) {
          errors.push({
            field: 'content_layout',
            message: `It should be one of these values: '${CONTENT_LAYOUTS.join(',')}'`,
            code: 'invalid_value',
          });
        }
        if (!isHttpUrl(action['url'])) {
          errors.push({ field: 'url', message: "It should be in the 'valid URL' format", code: 'invalid_value' });
        }
      }
    }
    if (errors.length > 0) throw validation(errors);
    return parsed;
  }

  function hasWebhookAction(rule: JsonRecord): boolean {
    const actions = rule['actions'];
    return (
      Array.isArray(actions) && actions.some((action) => isRecord(action) && action['field_name'] === 'trigger_webhook')
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname;
    const entry: FreshdeskRequest = { method, path: `${path}${url.search}` };
    recorded.push(entry);
    const isCreate = method === 'POST' && path === '/api/v2/automations/4/rules';
    const raw = method === 'POST' || method === 'PUT' ? await readBody(req) : '';
    let parsed: unknown;
    let json = false;
    if (raw !== '') {
      try {
        parsed = JSON.parse(raw);
        json = true;
        entry.body = parsed;
      } catch {
        json = false;
      }
    }

    const active = fault && (fault.requests === 'all' || isCreate) ? fault : undefined;
    if (active?.mode === 'slow') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, active.delayMs);
        timers.add(timer);
      });
      if (res.destroyed) return;
    }
    if (active?.mode === 'not-found') {
      send(res, 404, NOT_FOUND_PAGE, { 'content-type': 'text/html; charset=utf-8' });
      return;
    }
    if (active?.mode === 'rate-limited') {
      send(
        res,
        429,
        JSON.stringify({
          message: `You have exceeded the limit of requests per minute. Retry after ${active.retryAfterSeconds} seconds.`,
        }),
        { 'retry-after': String(active.retryAfterSeconds), 'x-ratelimit-remaining': '0' },
      );
      return;
    }
    if (active?.mode === 'server-error') {
      throw new HttpProblem(500, {
        code: 'internal_error',
        message: 'We are sorry, something went wrong. Please try again later.',
      });
    }

    const authorization = req.headers.authorization;
    const agent = agentFor(authorization);
    if (agent === undefined) {
      const echoed = echo
        ? ` (received Authorization: ${authorization ?? '(none)'}; key ${basicUser(authorization)})`
        : '';
      throw new HttpProblem(401, {
        code: 'invalid_credentials',
        message: `You have to be logged in to perform this action.${echoed}`,
      });
    }
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = JSON.stringify(body);
      send(
        res,
        status,
        active?.mode === 'garbled' ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : text,
        headers,
      );
    };

    if (path === '/api/v2/agents/me') {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      reply(200, agentJson(agent));
      return;
    }

    const automation = /^\/api\/v2\/automations\/(\d+)\/rules(?:\/([^/]+))?$/.exec(path);
    if (automation) {
      const typeId = Number(automation[1]);
      if (!agent.admin) {
        const echoed = echo ? ` (key ${agent.apiKey})` : '';
        throw new HttpProblem(403, {
          code: 'access_denied',
          message: `You are not authorized to perform this action.${echoed}`,
        });
      }
      if (![1, 3, 4].includes(typeId)) {
        throw validation([
          { field: 'automation_type_id', message: "It should be one of these values: '1,3,4'", code: 'invalid_value' },
        ]);
      }
      const rules = typeId === 4 ? stored : [];
      const idText = automation[2];
      if (idText === undefined) {
        if (method === 'GET') {
          const perPage = Number(url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE);
          const page = Number(url.searchParams.get('page') ?? 1);
          if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
            throw validation([
              {
                field: 'per_page',
                message: `It should be a/an Positive Integer less than or equal to ${MAX_PER_PAGE}`,
                code: 'invalid_value',
              },
            ]);
          }
          if (!Number.isInteger(page) || page < 1) {
            throw validation([{ field: 'page', message: 'It should be a/an Positive Integer', code: 'invalid_value' }]);
          }
          const slice = rules.slice((page - 1) * perPage, page * perPage);
          const headers: Record<string, string> = {};
          if (page * perPage < rules.length) {
            headers['link'] = `<${origin()}${path}?page=${page + 1}&per_page=${perPage}>; rel="next"`;
          }
          reply(200, slice, headers);
          return;
        }
        if (method === 'POST') {
          if (!json)
            throw new HttpProblem(400, { code: 'invalid_json', message: 'Request body has invalid json format' });
          if (typeId !== 4)
            throw new HttpProblem(400, {
              code: 'invalid_value',
              message: 'This emulator creates ticket-updates rules only.',
            });
          const input = validateRule(parsed);
          if (!webhooksInPlan && hasWebhookAction(input)) {
            throw new HttpProblem(403, {
              code: 'require_feature',
              message:
                'The Webhook feature(s) is/are not supported in your plan. Please upgrade your account to use it.',
            });
          }
          const rule = storeRule(active?.mode === 'strip-webhook-action' ? stripWebhooks(input) : input, agent);
          if (active?.mode === 'drop-after-create') {
            req.socket.destroy();
            return;
          }
          reply(201, rule, { location: `${origin()}${path}/${String(rule['id'])}` });
          return;
        }
        throw methodNotAllowed(method, 'GET, POST');
      }
      if (method !== 'GET') throw methodNotAllowed(method, 'GET, PUT, DELETE');
      const rule = /^\d+$/.test(idText) ? rules.find((candidate) => String(candidate['id']) === idText) : undefined;
      if (rule === undefined) {
        send(res, 404, '');
        return;
      }
      reply(200, rule);
      return;
    }

    send(res, 404, '');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpProblem) send(res, error.status, JSON.stringify(error.body));
      else send(res, 500, JSON.stringify({ code: 'internal_error', message: 'Emulator failure.' }));
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
  port = (server.address() as AddressInfo).port;

  return {
    baseUrl: origin(),
    port,
    setFault(mode, faultOptions = {}) {
      fault =
        mode === undefined
          ? undefined
          : {
              mode,
              requests:
                mode === 'drop-after-create' || mode === 'strip-webhook-action'
                  ? 'create'
                  : (faultOptions.requests ?? 'all'),
              retryAfterSeconds: faultOptions.retryAfterSeconds ?? 30,
              delayMs: faultOptions.delayMs ?? 5000,
            };
    },
    rules: () => stored.map((rule) => structuredClone(rule)),
    addRule(rule) {
      return structuredClone(storeRule(structuredClone(rule), undefined));
    },
    requests: () => recorded.map((request) => ({ ...request })),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The agents/me answer: the profile under `contact`, as Freshdesk nests it. */
function agentJson(agent: EmulatedAgent): JsonRecord {
  return {
    available: true,
    occasional: false,
    id: agent.id,
    ticket_scope: 1,
    signature: null,
    group_ids: [],
    role_ids: [agent.admin ? 43000123001 : 43000123004],
    skill_ids: [],
    available_since: null,
    contact: {
      active: true,
      email: agent.email,
      job_title: null,
      language: 'en',
      last_login_at: '2026-01-05T09:12:44Z',
      mobile: null,
      name: agent.name,
      phone: null,
      time_zone: 'Eastern Time (US & Canada)',
      created_at: '2024-03-01T10:00:00Z',
      updated_at: '2026-01-05T09:12:44Z',
    },
    created_at: '2024-03-01T10:00:00Z',
    updated_at: '2026-01-05T09:12:44Z',
    type: 'support_agent',
  };
}

function stripWebhooks(input: JsonRecord): JsonRecord {
  const actions = Array.isArray(input['actions']) ? input['actions'] : [];
  return {
    ...input,
    actions: actions.map((action: unknown) =>
      isRecord(action) && action['field_name'] === 'trigger_webhook' ? { field_name: 'trigger_webhook' } : action,
    ),
  };
}

function methodNotAllowed(method: string, allowed: string): HttpProblem {
  return new HttpProblem(405, {
    code: 'method_not_allowed',
    message: `${method} method is not allowed. It should be one of these method(s): ${allowed}`,
  });
}

function basicUser(authorization: string | undefined): string {
  const match = /^Basic\s+(\S+)$/.exec(authorization ?? '');
  if (!match) return '(none)';
  return (
    Buffer.from(match[1] ?? '', 'base64')
      .toString('utf8')
      .split(':')[0] ?? ''
  );
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
