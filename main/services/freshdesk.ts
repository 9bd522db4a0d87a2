import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type ErrorKind, type FieldProblem } from '../core/errors.js';
import { freshdeskBaseFromUrl } from '../core/freshdesk-base.js';
import { redactSecrets } from '../core/redact.js';
import { isRecord, isSuccess, networkDetail, retryAfterSeconds, seconds } from './http.js';
import {
  TICKET_UPDATES_AUTOMATION,
  buildWebhookRule,
  checkEventsUrl,
  checkRuleBody,
  reuseWarnings,
  rulePostsTo,
  type TicketUpdateRuleBody,
} from '../core/webhook-rule.js';

/**
 * Freshdesk API v2 over fetch: the credential check and the ticket-updates
 * automation rules (reference §2.2, §2.3). HTTP Basic with the API key as the
 * user name and "X" as the password. Every request has a timeout; a POST is
 * never sent twice: after a lost answer the rules are listed to find out
 * whether it was created. The API key appears in no message.
 */

export interface FreshdeskClientOptions {
  /** The account origin: `https://<subdomain>.freshdesk.com` (see resolveFreshdeskBase); plain http only on loopback. */
  baseUrl: string;
  apiKey: string;
  /** Per request, including reading the body. Default 20 s. */
  timeoutMs?: number;
  /** When a lost create answer's rule is not found, look once more after this pause. Default 1 s. */
  reconcileRetryDelayMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** Who the API key belongs to (`GET /api/v2/agents/me`). */
export interface FreshdeskAgent {
  id: number | undefined;
  name: string;
  email: string;
}

/** An automation rule as Freshdesk returned it, with the fields the app reads. */
export interface AutomationRule {
  id: number;
  name: string;
  active: boolean;
  /** The whole rule as returned (it holds no secret). */
  raw: Record<string, unknown>;
}

export interface EnsureRuleResult {
  rule: AutomationRule;
  /** False when an existing rule already posted to the URL and was reused. */
  created: boolean;
  /** What could stop the rule from delivering events (turned off, not JSON, outdated): show next to the result. */
  warnings: string[];
}

export interface FreshdeskClient {
  /** `GET /api/v2/agents/me`: proves the key works and names its agent. */
  me(options?: CallOptions): Promise<FreshdeskAgent>;
  /** `GET /api/v2/automations/4/rules`, following `Link: rel="next"` pages. */
  listTicketUpdateRules(options?: CallOptions): Promise<AutomationRule[]>;
  /** `POST /api/v2/automations/4/rules` after checkRuleBody; never retried. */
  createRule(body: TicketUpdateRuleBody, options?: CallOptions): Promise<AutomationRule>;
  /** `GET /api/v2/automations/4/rules/{id}`. */
  getRule(id: number, options?: CallOptions): Promise<AutomationRule>;
  /**
   * Reuses a ticket-updates rule that already POSTs to the events URL, or
   * creates one (buildWebhookRule) and reads it back to check that it still
   * does. Concurrent calls for the same URL on one client share one run (and
   * the first caller's signal).
   */
  ensureWebhookRule(eventsUrl: string, options?: { name?: string; signal?: AbortSignal }): Promise<EnsureRuleResult>;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

const RULES_PATH = `/api/v2/automations/${TICKET_UPDATES_AUTOMATION}/rules`;
const WHERE_KEY = 'copy it again from Profile settings > Your API key';
const PLAN_HINT = 'Trigger Webhook needs the Growth, Pro or Enterprise plan since December 2025';
/** Enough for 3,000 rules at Freshdesk's default page size: a guard against a server that always says "next". */
const MAX_PAGES = 100;

/** Failures after which a POST may or may not have created the rule. */
const LOST_ANSWER: readonly ErrorKind[] = ['timeout', 'network', 'unreadable'];

type Operation = 'me' | 'list' | 'create' | 'get';

interface Answer {
  status: number;
  statusText: string;
  text: string;
  headers: Headers;
}

interface Request {
  method: 'GET' | 'POST';
  /** Absolute URL on the account origin. */
  url: string;
  body?: string;
  signal: AbortSignal | undefined;
}

export function createFreshdeskClient(options: FreshdeskClientOptions): FreshdeskClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retryDelayMs = options.reconcileRetryDelayMs ?? 1000;
  const base = freshdeskBaseFromUrl(options.baseUrl);
  const origin = base.ok ? base.value : '';
  const host = base.ok ? new URL(base.value).host : 'Freshdesk';
  const apiKey = options.apiKey.trim();
  const secrets = [options.apiKey, apiKey, ...(isHeaderSafe(apiKey) ? [btoa(`${apiKey}:X`)] : [])].filter(
    (secret) => secret !== '',
  );
  const inFlight = new Map<string, Promise<EnsureRuleResult>>();

  function checkSetup(): void {
    if (!base.ok) throw new AppError('invalid-input', base.message, { field: 'baseUrl' });
    if (apiKey === '') {
      throw new AppError(
        'credentials',
        'The Freshdesk API key is missing: copy it from Profile settings > Your API key.',
        {
          field: 'apiKey',
        },
      );
    }
    if (!isHeaderSafe(apiKey)) {
      throw new AppError(
        'credentials',
        `The Freshdesk API key contains spaces, a colon or other characters an API key never has: ${WHERE_KEY}.`,
        { field: 'apiKey' },
      );
    }
  }

  async function call(request: Request): Promise<Answer> {
    checkSetup();
    const caller = request.signal;
    if (caller?.aborted) throw cancelled();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const headers: Record<string, string> = {
      Authorization: `Basic ${btoa(`${apiKey}:X`)}`,
      Accept: 'application/json',
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers,
        body: request.body ?? null,
        signal,
        // A redirect would carry the key to wherever it points: report it instead.
        redirect: 'manual',
      });
      const text = await response.text();
      return { status: response.status, statusText: response.statusText, text, headers: response.headers };
    } catch (error) {
      if (caller?.aborted) throw cancelled();
      if (timeout.aborted)
        throw new AppError(
          'timeout',
          `Freshdesk (${host}) did not answer within ${seconds(timeoutMs)}: check your connection, then try again.`,
        );
      const detail = redactSecrets(networkDetail(error), secrets);
      throw new AppError(
        'network',
        `Could not reach Freshdesk at ${host} (${detail}): check the subdomain, your internet connection and any proxy.`,
      );
    }
  }

  /** Turns a non-2xx answer into an AppError whose message is safe to show. */
  function failure(operation: Operation, answer: Answer, ruleId?: number): AppError {
    const { status } = answer;
    const server = serverMessage(answer.text, secrets);
    const said = server.message ? `: ${server.message}` : '';
    if (status === 401) {
      return new AppError('credentials', `Freshdesk rejected the API key for ${host}: ${WHERE_KEY}.`, {
        status,
        field: 'apiKey',
      });
    }
    if (status === 403) {
      if (server.code === 'require_feature' || /\b(plan|feature)/i.test(server.message ?? '')) {
        return new AppError(
          'bad-request',
          `Freshdesk refused (403${said}): your plan does not include webhooks (${PLAN_HINT}). Upgrade the plan, or use the freshdeskv2 element, which polls for changes and needs no rule.`,
          { status },
        );
      }
      if (operation === 'me') {
        return new AppError(
          'credentials',
          `Freshdesk refused the API key for ${host} (403${said}): the agent may be deactivated or API access locked; ${WHERE_KEY}, as an active agent.`,
          { status, field: 'apiKey' },
        );
      }
      const plan =
        operation === 'create' && server.code !== 'access_denied'
          ? `, and the plan must include webhooks (${PLAN_HINT})`
          : '';
      return new AppError(
        'credentials',
        `Freshdesk refused (403${said}): automation rules can be managed only with the API key of an administrator${plan}. Use an admin's API key (Profile settings > Your API key), or create the rule by hand with the walkthrough.`,
        { status, field: 'apiKey' },
      );
    }
    if (status === 404) {
      if (operation === 'get') {
        return new AppError(
          'bad-request',
          `Freshdesk has no ticket-updates rule with id ${ruleId ?? '?'} at ${host} (404).`,
          {
            status,
          },
        );
      }
      return new AppError('bad-request', `There is no Freshdesk account at ${host} (404): check the subdomain.`, {
        status,
        field: 'subdomain',
      });
    }
    if (status === 429) {
      const wait = retryAfterSeconds(answer.headers.get('retry-after'));
      const when = wait === undefined ? 'wait a minute' : `wait ${wait} second${wait === 1 ? '' : 's'}`;
      return new AppError(
        'server',
        `Freshdesk is limiting this account's API requests (429): ${when}, then try again.`,
        {
          status,
        },
      );
    }
    if (status >= 300 && status < 400) {
      const location = answer.headers.get('location');
      const to = location ? ` to ${redactSecrets(location, secrets)}` : '';
      return new AppError(
        'bad-request',
        `Freshdesk at ${host} answered with a redirect (${status})${to}: use the account's https://<subdomain>.freshdesk.com address.`,
        { status },
      );
    }
    if (status >= 400 && status < 500) {
      const what = operation === 'create' ? 'the rule' : 'the request';
      return new AppError(
        'bad-request',
        `Freshdesk refused ${what} (${status}${said}).`,
        server.problems.length > 0 ? { status, problems: server.problems } : { status },
      );
    }
    const reason = server.message ? said : answer.statusText ? `: ${answer.statusText}` : '';
    return new AppError('server', `Freshdesk (${host}) failed (${status}${reason}): try again in a few minutes.`, {
      status,
    });
  }

  async function list(signal: AbortSignal | undefined): Promise<AutomationRule[]> {
    const rules: AutomationRule[] = [];
    const seen = new Set<string>();
    let url: string | undefined = `${origin}${RULES_PATH}`;
    for (let page = 0; url !== undefined && page < MAX_PAGES && !seen.has(url); page += 1) {
      seen.add(url);
      const answer = await call({ method: 'GET', url, signal });
      if (!isSuccess(answer.status)) throw failure('list', answer);
      const parsed = parseJson(answer.text);
      if (!Array.isArray(parsed)) throw unreadable('the list of rules');
      for (const item of parsed) {
        const rule = parseRule(item);
        if (rule === undefined) throw unreadable('the list of rules');
        rules.push(rule);
      }
      url = nextPage(answer.headers.get('link'), origin);
    }
    return rules;
  }

  async function get(id: number, signal: AbortSignal | undefined): Promise<AutomationRule> {
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new AppError('invalid-input', `${String(id)} is not a rule id: rule ids are positive whole numbers.`);
    }
    const answer = await call({ method: 'GET', url: `${origin}${RULES_PATH}/${id}`, signal });
    if (!isSuccess(answer.status)) throw failure('get', answer, id);
    const rule = parseRule(parseJson(answer.text));
    if (rule === undefined) throw unreadable(`rule ${id}`);
    return rule;
  }

  /** Reads a rule just created and checks that it still posts to the URL. */
  async function readBack(
    created: AutomationRule,
    eventsUrl: string,
    signal: AbortSignal | undefined,
  ): Promise<EnsureRuleResult> {
    let rule: AutomationRule;
    try {
      rule = await get(created.id, signal);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(
        error.kind,
        `The rule "${created.name}" was created (id ${created.id}), but reading it back failed: ${error.message} Run this again: the rule will be found and reused.`,
        error.status === undefined ? {} : { status: error.status },
      );
    }
    if (!rulePostsTo(rule.raw, eventsUrl)) {
      throw new AppError(
        'server',
        `Freshdesk saved the rule "${rule.name}" (id ${rule.id}), but reading it back shows no Trigger Webhook action that POSTs to ${eventsUrl}. Open Admin > Automations > Ticket updates, and fix the rule's action there (or delete the rule and try again).`,
      );
    }
    return { rule, created: true, warnings: reuseWarnings(rule.raw, eventsUrl) };
  }

  /** After a create whose outcome is unknown: look for the rule, never POST again. */
  async function reconcile(
    lost: AppError,
    eventsUrl: string,
    signal: AbortSignal | undefined,
  ): Promise<EnsureRuleResult> {
    for (const pause of [0, retryDelayMs]) {
      if (pause > 0) {
        try {
          await sleep(pause, undefined, signal ? { signal } : {});
        } catch {
          throw cancelledAfterPost();
        }
      }
      let rules: AutomationRule[];
      try {
        rules = await list(signal);
      } catch (error) {
        if (error instanceof AppError && error.kind === 'cancelled') throw cancelledAfterPost();
        const why = error instanceof AppError ? error.message : 'unknown failure';
        throw new AppError(
          lost.kind,
          `${lost.message} Checking whether the rule was created failed too (${why}). Run this again later: an existing rule is found and reused, never doubled.`,
          lost.status === undefined ? {} : { status: lost.status },
        );
      }
      const found = rules.find((rule) => rulePostsTo(rule.raw, eventsUrl));
      if (found) return readBack(found, eventsUrl, signal);
    }
    throw new AppError(
      lost.kind,
      `${lost.message} No rule posts to ${eventsUrl}, so none was created: it is safe to try again.`,
      lost.status === undefined ? {} : { status: lost.status },
    );
  }

  async function ensure(
    body: TicketUpdateRuleBody,
    eventsUrl: string,
    signal: AbortSignal | undefined,
  ): Promise<EnsureRuleResult> {
    const existing = (await list(signal)).find((rule) => rulePostsTo(rule.raw, eventsUrl));
    if (existing) return { rule: existing, created: false, warnings: reuseWarnings(existing.raw, eventsUrl) };

    let answer: Answer;
    try {
      answer = await call({ method: 'POST', url: `${origin}${RULES_PATH}`, body: JSON.stringify(body), signal });
    } catch (error) {
      if (error instanceof AppError && error.kind === 'cancelled') throw cancelledAfterPost();
      if (error instanceof AppError && LOST_ANSWER.includes(error.kind)) return reconcile(error, eventsUrl, signal);
      throw error;
    }
    if (!isSuccess(answer.status)) {
      const problem = failure('create', answer);
      // A 5xx (a gateway timing out, say) may come after the rule was saved.
      if (answer.status >= 500) return reconcile(problem, eventsUrl, signal);
      throw problem;
    }
    const created = parseRule(parseJson(answer.text));
    if (created === undefined) return reconcile(unreadable('the answer to the create request'), eventsUrl, signal);
    return readBack(created, eventsUrl, signal);
  }

  return {
    async me(callOptions = {}) {
      const answer = await call({ method: 'GET', url: `${origin}/api/v2/agents/me`, signal: callOptions.signal });
      if (!isSuccess(answer.status)) throw failure('me', answer);
      const agent = parseAgent(parseJson(answer.text));
      if (agent === undefined) throw unreadable('the agent profile');
      return agent;
    },

    listTicketUpdateRules(callOptions = {}) {
      return list(callOptions.signal);
    },

    async createRule(body, callOptions = {}) {
      const checked = checkRuleBody(body);
      if (!checked.ok) throw new AppError('invalid-input', checked.message, { field: 'rule' });
      const answer = await call({
        method: 'POST',
        url: `${origin}${RULES_PATH}`,
        body: JSON.stringify(checked.value),
        signal: callOptions.signal,
      });
      if (!isSuccess(answer.status)) throw failure('create', answer);
      const rule = parseRule(parseJson(answer.text));
      if (rule === undefined) throw unreadable('the answer to the create request');
      return rule;
    },

    getRule(id, callOptions = {}) {
      return get(id, callOptions.signal);
    },

    ensureWebhookRule(eventsUrl, ensureOptions = {}) {
      const url = checkEventsUrl(eventsUrl);
      if (!url.ok) return Promise.reject(new AppError('invalid-input', url.message, { field: 'eventsUrl' }));
      const built = buildWebhookRule(url.value, ensureOptions.name === undefined ? {} : { name: ensureOptions.name });
      if (!built.ok) return Promise.reject(new AppError('invalid-input', built.message, { field: 'name' }));
      const running = inFlight.get(url.value);
      if (running) return running;
      const run = ensure(built.value, url.value, ensureOptions.signal).finally(() => inFlight.delete(url.value));
      inFlight.set(url.value, run);
      return run;
    },
  };
}

/** Printable ASCII without spaces or a colon: what a Basic user name (and so an API key) can be. */
function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x39\x3b-\x7e]+$/.test(value);
}

function cancelled(): AppError {
  return new AppError('cancelled', 'Cancelled.');
}

function cancelledAfterPost(): AppError {
  return new AppError(
    'cancelled',
    'Cancelled after the request to create the rule was sent: it may have been created. Run this again: an existing rule is found and reused, never doubled.',
  );
}

function unreadable(what: string): AppError {
  return new AppError('unreadable', `Freshdesk sent ${what} in a form that could not be read (not the expected JSON).`);
}

/** The rel="next" URL of a Link header, only when it stays on the account origin (the key goes with it). */
function nextPage(link: string | null, origin: string): string | undefined {
  if (link === null) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!match || !/(^|;)\s*rel\s*=\s*"?([^"]*\s)?next(\s[^"]*)?"?\s*(;|$)/i.test(match[2] ?? '')) continue;
    try {
      const url = new URL(match[1] ?? '', origin);
      return url.origin === origin ? url.href : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Freshdesk's error bodies as one readable line, secrets masked:
 * `{description, errors:[{field, message, code}]}` or `{code, message}`.
 */
function serverMessage(
  text: string,
  secrets: readonly string[],
): { message?: string; code?: string; problems: FieldProblem[] } {
  const parsed = parseJson(text);
  if (!isRecord(parsed)) return { problems: [] };
  const clean = (value: string): string => {
    const flat = redactSecrets(value.replace(/\s+/g, ' ').trim(), secrets);
    return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
  };
  const problems: FieldProblem[] = [];
  const errors = parsed['errors'];
  if (Array.isArray(errors)) {
    for (const item of errors) {
      if (!isRecord(item) || typeof item['message'] !== 'string') continue;
      const field = typeof item['field'] === 'string' ? clean(item['field']) : '';
      const code = typeof item['code'] === 'string' ? ` (${clean(item['code'])})` : '';
      problems.push({ field, message: `${clean(item['message'])}${code}` });
    }
  }
  const head = [parsed['description'], parsed['message']].find(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  const details = problems.map((problem) => (problem.field ? `${problem.field}: ${problem.message}` : problem.message));
  const parts = [...(head === undefined ? [] : [clean(head)]), ...details];
  const result: { message?: string; code?: string; problems: FieldProblem[] } = { problems };
  if (parts.length > 0)
    result.message = head !== undefined && details.length > 0 ? `${parts[0]}: ${details.join('; ')}` : parts.join('; ');
  const code = parsed['code'];
  if (typeof code === 'string' && /^[\w-]{1,64}$/.test(code)) result.code = code;
  return result;
}

function parseRule(value: unknown): AutomationRule | undefined {
  if (!isRecord(value)) return undefined;
  const rawId = value['id'];
  const id = typeof rawId === 'number' ? rawId : typeof rawId === 'string' && /^\d+$/.test(rawId) ? Number(rawId) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return {
    id,
    name: typeof value['name'] === 'string' ? value['name'] : '',
    active: value['active'] !== false,
    raw: value,
  };
}

function parseAgent(value: unknown): FreshdeskAgent | undefined {
  if (!isRecord(value)) return undefined;
  const contact = isRecord(value['contact']) ? value['contact'] : value;
  const name = contact['name'];
  const email = contact['email'];
  if (typeof name !== 'string' && typeof email !== 'string') return undefined;
  const id = value['id'];
  return {
    id: typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined,
    name: typeof name === 'string' ? name : '',
    email: typeof email === 'string' ? email : '',
  };
}
