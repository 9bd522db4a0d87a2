import { hostOf, type ApiBase } from '../core/api-base.js';
import { AppError, type ErrorKind } from '../core/errors.js';
import { buildEventsUrl } from '../core/events-url.js';
import { extractInstanceId } from '../core/instance-id.js';
import { secretConfigKeys, type InstanceRequestBody } from '../core/instance-request.js';
import type { CreatedInstance, InstanceSummary } from '../core/instance-summary.js';
import { splitJsonArray } from '../core/json-array.js';
import { redactSecrets } from '../core/redact.js';
import {
  DEFAULT_RETRY,
  isRecord,
  isSuccess,
  networkDetail,
  pause,
  retryAfterSeconds,
  retryDelayMs,
  seconds,
  type RetryPolicy,
} from './http.js';

export interface CloudElementsCredentials {
  userSecret: string;
  orgSecret: string;
}

export interface CloudElementsClient {
  /** GET /elements/{key}: true when the account can use the element (200), false on 404. */
  hasElement(key: string, options?: { signal?: AbortSignal }): Promise<boolean>;
  /** GET /instances: every instance, as summaries (events URL built with buildEventsUrl for webhook elements, '' for polling ones). */
  listInstances(options?: { signal?: AbortSignal }): Promise<InstanceSummary[]>;
  /** POST /instances with a body from buildInstanceRequest. */
  createInstance(body: InstanceRequestBody, options?: { signal?: AbortSignal }): Promise<CreatedInstance>;
  /** GET /instances/{id}/events: the events the instance received, newest last as the platform lists them. */
  listEvents(instanceId: string, options?: { signal?: AbortSignal }): Promise<ReceivedEvent[]>;
}

/** An event as `GET /instances/{id}/events` lists it. */
export interface ReceivedEvent {
  id: string;
  status: string;
  createdDate: string | undefined;
}

export interface CloudElementsClientOptions {
  apiBase: ApiBase;
  credentials: CloudElementsCredentials;
  /** Per request, including reading the body. Default 20 s. */
  timeoutMs?: number;
  /** When a lost create answer's instance is not found, look once more after this pause (the server may still be saving it). Default 1 s. */
  reconcileRetryDelayMs?: number;
  /** How GETs are retried on network errors, 5xx and 429. A POST is never retried. */
  retry?: RetryPolicy;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

const WHERE_SECRETS =
  'Copy both again from the Cloud Elements console (the Secrets menu at the top, or Settings > Account)';

/** Failures after which a POST may or may not have created the instance. */
const LOST_ANSWER: readonly ErrorKind[] = ['timeout', 'network', 'unreadable'];

type Operation = 'element' | 'list' | 'create';

interface Answer {
  status: number;
  statusText: string;
  text: string;
  location: string | null;
  retryAfter: string | null;
}

interface CallOptions {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  signal: AbortSignal | undefined;
  /** Values to mask in any message besides the two secrets (the Freshdesk key or password of a create). */
  secrets: readonly string[];
}

export function createCloudElementsClient(options: CloudElementsClientOptions): CloudElementsClient {
  const { apiBase, credentials } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const reconcileDelayMs = options.reconcileRetryDelayMs ?? 1000;
  const retry = options.retry ?? DEFAULT_RETRY;
  const host = hostOf(apiBase);
  const baseSecrets = [credentials.userSecret, credentials.orgSecret];

  async function call(request: CallOptions): Promise<Answer> {
    checkCredentials(credentials);
    const caller = request.signal;
    if (caller?.aborted) throw cancelled();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const headers: Record<string, string> = {
      // Exactly as the platform documents it; the secrets go in untouched.
      Authorization: `User ${credentials.userSecret}, Organization ${credentials.orgSecret}`,
      Accept: 'application/json',
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const response = await fetch(`${apiBase}${request.path}`, {
        method: request.method,
        headers,
        body: request.body ?? null,
        signal,
        // A redirect would carry the secrets to wherever it points: report it instead.
        redirect: 'manual',
      });
      const text = await response.text();
      return {
        status: response.status,
        statusText: response.statusText,
        text,
        location: response.headers.get('location'),
        retryAfter: response.headers.get('retry-after'),
      };
    } catch (error) {
      if (caller?.aborted) throw cancelled();
      if (timeout.aborted) {
        throw new AppError(
          'timeout',
          `Cloud Elements (${host}) did not answer within ${seconds(timeoutMs)}: check your connection, then try again.`,
        );
      }
      const detail = redactSecrets(networkDetail(error), [...baseSecrets, ...request.secrets]);
      throw new AppError(
        'network',
        `Could not reach Cloud Elements at ${host} (${detail}): check the host name, your internet connection and any proxy.`,
      );
    }
  }

  /**
   * A GET, retried with backoff on network errors, 5xx and 429 (waiting as
   * long as Retry-After asks, within the policy). Reading twice is harmless;
   * the last answer or error is what the caller sees.
   */
  async function get(request: Omit<CallOptions, 'method'>): Promise<Answer> {
    for (let attempt = 0; ; attempt += 1) {
      let answer: Answer;
      try {
        answer = await call({ ...request, method: 'GET' });
      } catch (error) {
        const delay = retryDelayMs(retry, attempt, undefined);
        if (
          !(error instanceof AppError) ||
          error.kind !== 'network' ||
          attempt >= retry.retries ||
          delay === undefined
        ) {
          throw error;
        }
        await waitBeforeRetry(delay, request.signal);
        continue;
      }
      if (answer.status !== 429 && answer.status < 500) return answer;
      const delay = retryDelayMs(retry, attempt, retryAfterSeconds(answer.retryAfter));
      if (attempt >= retry.retries || delay === undefined) return answer;
      await waitBeforeRetry(delay, request.signal);
    }
  }

  async function waitBeforeRetry(delay: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await pause(delay, signal);
    } catch {
      throw cancelled();
    }
  }

  /** Turns a non-2xx answer into an AppError whose message is safe to show. */
  function failure(operation: Operation, answer: Answer, secrets: readonly string[]): AppError {
    const { status } = answer;
    const server = serverMessage(answer.text, [...baseSecrets, ...secrets]);
    const said = server.message ? `: ${server.message}` : '';
    const requestId = server.requestId ? ` (request id ${server.requestId})` : '';
    if (status === 401 || status === 403) {
      return new AppError(
        'credentials',
        `Cloud Elements rejected the user and organization secrets (${status}${said}). ${WHERE_SECRETS}, and check that ${host} is your account's host (EU accounts use api.cloud-elements.co.uk).`,
        { status },
      );
    }
    if (status >= 300 && status < 400) {
      const to = answer.location ? ` to ${redactSecrets(answer.location, baseSecrets)}` : '';
      return new AppError(
        'bad-request',
        `Cloud Elements at ${host} answered with a redirect (${status})${to}: check the host or base URL.`,
        { status },
      );
    }
    if (status === 404 && operation === 'list') {
      return new AppError(
        'bad-request',
        `There is no Cloud Elements API at ${apiBase} (404${said}): check the host or base URL.`,
        { status },
      );
    }
    if (status === 404 && operation === 'create') {
      return new AppError(
        'bad-request',
        `Cloud Elements refused to create the instance (404${said}): check that this account can use the element.`,
        { status },
      );
    }
    if (status === 409) {
      return new AppError('conflict', `Cloud Elements says this already exists (409${said}).`, { status });
    }
    if (status === 429) {
      const wait = retryAfterSeconds(answer.retryAfter);
      const when = wait === undefined ? 'a minute' : seconds(wait * 1000);
      return new AppError('server', `Cloud Elements is limiting requests (429${said}): wait ${when}, then try again.`, {
        status,
      });
    }
    if (status >= 400 && status < 500) {
      return new AppError('bad-request', `Cloud Elements refused the request (${status}${said}).`, { status });
    }
    const reason = server.message ? said : answer.statusText ? ` ${answer.statusText}` : '';
    return new AppError(
      'server',
      `Cloud Elements (${host}) failed with ${status}${reason}${requestId}: try again in a few minutes.`,
      { status },
    );
  }

  async function list(signal: AbortSignal | undefined, secrets: readonly string[]): Promise<InstanceSummary[]> {
    const answer = await get({ path: '/instances', signal, secrets });
    if (!isSuccess(answer.status)) throw failure('list', answer, secrets);
    const instances = parseInstanceList(answer.text, apiBase);
    if (instances === undefined) throw unreadable('the instance list');
    return instances;
  }

  /** After a create whose outcome is unknown: find the instance by name, never POST again. */
  async function reconcile(
    body: InstanceRequestBody,
    lost: AppError,
    signal: AbortSignal | undefined,
    secrets: readonly string[],
  ): Promise<CreatedInstance> {
    const name = body.name.trim();
    for (const delay of [0, reconcileDelayMs]) {
      if (delay > 0) {
        try {
          await pause(delay, signal);
        } catch {
          throw cancelledAfterPost(name);
        }
      }
      let instances: InstanceSummary[];
      try {
        instances = await list(signal, secrets);
      } catch (error) {
        if (error instanceof AppError && error.kind === 'cancelled') throw cancelledAfterPost(name);
        const why = error instanceof AppError ? error.message : 'unknown failure';
        throw new AppError(
          lost.kind,
          `${lost.message} Checking whether the instance "${name}" was created failed too (${why}). Before trying again, look for it in the instance list (freshdesk-events instances, or the Cloud Elements console).`,
          lost.status === undefined ? {} : { status: lost.status },
        );
      }
      const matches = instances.filter(
        (instance) => instance.name.trim() === name && instance.elementKey === body.element.key,
      );
      const [match] = matches;
      if (matches.length > 1) {
        throw new AppError(
          'conflict',
          `${lost.message} There are now ${matches.length} instances named "${name}" (IDs ${matches.map((m) => m.id).join(', ')}): pick the right one from the instance list, and delete the others in the Cloud Elements console.`,
          { field: 'name' },
        );
      }
      if (match) return { ...match, reconciled: true };
    }
    throw new AppError(
      lost.kind,
      `${lost.message} No instance named "${name}" exists, so none was created: it is safe to try again.`,
      lost.status === undefined ? {} : { status: lost.status },
    );
  }

  return {
    async hasElement(key, callOptions = {}) {
      const answer = await get({
        path: `/elements/${encodeURIComponent(key)}`,
        signal: callOptions.signal,
        secrets: [],
      });
      if (answer.status === 404) return false;
      if (!isSuccess(answer.status)) throw failure('element', answer, []);
      return true;
    },

    listInstances(callOptions = {}) {
      return list(callOptions.signal, []);
    },

    async listEvents(instanceId, callOptions = {}) {
      if (!/^\d+$/.test(instanceId)) throw new AppError('invalid-input', 'The instance ID must be a number.');
      const answer = await get({ path: `/instances/${instanceId}/events`, signal: callOptions.signal, secrets: [] });
      if (answer.status === 404) {
        throw new AppError(
          'bad-request',
          `Cloud Elements has no instance ${instanceId} for these secrets on ${host}.`,
          {
            status: 404,
          },
        );
      }
      if (!isSuccess(answer.status)) throw failure('list', answer, []);
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.text);
      } catch {
        throw unreadable('the event list');
      }
      if (!Array.isArray(parsed)) throw unreadable('the event list');
      return parsed.filter(isRecord).map((event) => ({
        id: String(event['id'] ?? ''),
        status: typeof event['status'] === 'string' ? event['status'] : 'UNKNOWN',
        createdDate: typeof event['createdDate'] === 'string' ? event['createdDate'] : undefined,
      }));
    },

    async createInstance(body, callOptions = {}) {
      const { signal } = callOptions;
      const secrets = secretConfigKeys(body.element.key).flatMap((key) => {
        const value = body.configuration[key];
        return typeof value === 'string' ? [value] : [];
      });
      const name = body.name.trim();

      // A unique name is what makes the lookup after a lost answer unambiguous.
      let known: InstanceSummary[];
      try {
        known = await list(signal, secrets);
      } catch (error) {
        if (error instanceof AppError && error.kind === 'cancelled') {
          throw new AppError('cancelled', 'Cancelled before anything was sent: no instance was created.');
        }
        throw error;
      }
      const existing = known.find((instance) => instance.name.trim() === name);
      if (existing) {
        throw new AppError(
          'conflict',
          `An instance named "${name}" already exists (ID ${existing.id}, element ${existing.elementKey || 'unknown'}): choose another name, or use that instance.`,
          { field: 'name' },
        );
      }

      let answer: Answer;
      try {
        answer = await call({ method: 'POST', path: '/instances', body: JSON.stringify(body), signal, secrets });
      } catch (error) {
        if (error instanceof AppError && error.kind === 'cancelled') throw cancelledAfterPost(name);
        if (error instanceof AppError && LOST_ANSWER.includes(error.kind)) {
          return reconcile(body, error, signal, secrets);
        }
        throw error;
      }
      if (!isSuccess(answer.status)) {
        const problem = failure('create', answer, secrets);
        // A 5xx (a gateway timing out, say) may come after the instance was saved.
        if (problem.kind === 'server' && answer.status >= 500) return reconcile(body, problem, signal, secrets);
        throw problem;
      }
      const created = parseInstance(answer.text, apiBase);
      if (created === undefined)
        return reconcile(body, unreadable('the answer to the create request'), signal, secrets);
      return { ...created, reconciled: false };
    },
  };
}

function checkCredentials(credentials: CloudElementsCredentials): void {
  const entries = [
    { field: 'userSecret', label: 'user secret', value: credentials.userSecret },
    { field: 'orgSecret', label: 'organization secret', value: credentials.orgSecret },
  ];
  for (const { field, label, value } of entries) {
    if (value === '') {
      throw new AppError('credentials', `The Cloud Elements ${label} is missing. ${WHERE_SECRETS}.`, { field });
    }
    // Header values cannot hold these, and fetch would quote the value in its error.
    if (!/^[\x21-\x7e]+$/.test(value)) {
      throw new AppError(
        'credentials',
        `The Cloud Elements ${label} contains spaces, line breaks or other characters a secret never has. ${WHERE_SECRETS}.`,
        { field },
      );
    }
  }
}

function cancelled(): AppError {
  return new AppError('cancelled', 'Cancelled.');
}

function cancelledAfterPost(name: string): AppError {
  return new AppError(
    'cancelled',
    `Cancelled after the request to create "${name}" was sent: it may have been created, so check the instance list before trying again.`,
  );
}

function unreadable(what: string): AppError {
  return new AppError(
    'unreadable',
    `Cloud Elements sent ${what} in a form that could not be read (not the expected JSON).`,
  );
}

/** `message` (and `providerMessage`) and `requestId` of a `{requestId, message}` body, secrets masked. */
function serverMessage(text: string, secrets: readonly string[]): { message?: string; requestId?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(parsed)) return {};
  const parts = [parsed['message'], parsed['providerMessage']].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  const result: { message?: string; requestId?: string } = {};
  if (parts.length > 0) {
    const joined = parts.join(' — ').replace(/\s+/g, ' ').trim();
    result.message = redactSecrets(joined.length > 500 ? `${joined.slice(0, 497)}...` : joined, secrets);
  }
  const requestId = parsed['requestId'];
  if (typeof requestId === 'string' && /^[\w-]{1,64}$/.test(requestId)) result.requestId = requestId;
  return result;
}

function parseInstance(text: string, apiBase: ApiBase): InstanceSummary | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return summaryOf(parsed, text, apiBase);
}

function parseInstanceList(text: string, apiBase: ApiBase): InstanceSummary[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const raw = splitJsonArray(text);
  if (!Array.isArray(parsed) || raw === undefined || raw.length !== parsed.length) return undefined;
  return parsed.flatMap((item: unknown, index) => {
    const summary = summaryOf(item, raw[index] ?? '', apiBase);
    return summary ? [summary] : [];
  });
}

/** The summary of one instance; the id is read from the raw text so no digit is lost to a float. */
function summaryOf(item: unknown, rawText: string, apiBase: ApiBase): InstanceSummary | undefined {
  if (!isRecord(item)) return undefined;
  const id = extractInstanceId(rawText);
  if (!id.ok) return undefined;
  const element = item['element'];
  const elementKey =
    isRecord(element) && typeof element['key'] === 'string'
      ? element['key']
      : typeof item['elementKey'] === 'string'
        ? item['elementKey']
        : '';
  const created = item['createdDate'];
  const createdDate =
    typeof created === 'string'
      ? created
      : typeof created === 'number' && Math.abs(created) <= 8.64e15
        ? new Date(created).toISOString()
        : undefined;
  const events = elementKey === '' ? undefined : buildEventsUrl(apiBase, id.value, elementKey);
  return {
    id: id.value,
    name: typeof item['name'] === 'string' ? item['name'] : '',
    elementKey,
    createdDate,
    encodedId: events?.ok ? events.value.encodedId : '',
    eventsUrl: events?.ok ? events.value.url : '',
  };
}

/**
 * Posts a Freshdesk-style sample body to an events URL, as Freshdesk's rule
 * would: no Cloud Elements credentials, JSON. Returns the HTTP status; a
 * status outside 2xx is an error that says what it means.
 */
export async function postTestEvent(
  eventsUrl: string,
  payload: unknown,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ status: number }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const host = new URL(eventsUrl).host;
  let response: Response;
  try {
    response = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      signal,
      redirect: 'manual',
    });
    await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw cancelled();
    if (timeout.aborted)
      throw new AppError('timeout', `${host} did not answer the test event within ${seconds(timeoutMs)}.`);
    throw new AppError('network', `Could not send the test event to ${host} (${networkDetail(error)}).`);
  }
  if (isSuccess(response.status)) return { status: response.status };
  if (response.status === 404) {
    throw new AppError(
      'bad-request',
      `Cloud Elements answered 404 to the test event: no instance matches this events URL. Check the instance ID and the host.`,
      { status: 404 },
    );
  }
  throw new AppError(
    response.status >= 500 ? 'server' : 'bad-request',
    `Cloud Elements answered ${response.status} to the test event.`,
    { status: response.status },
  );
}
