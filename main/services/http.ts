import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Small pieces both API clients (Cloud Elements, Freshdesk) share: reading
 * fetch failures, Retry-After, and the pause between retries of a GET.
 */

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** `Retry-After` as whole seconds: delta-seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(1, Math.ceil((date - now) / 1000));
}

/** The most useful part of a fetch failure: undici puts the system error in `cause`. */
export function networkDetail(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED/i.test(code)) {
      return `the server's TLS certificate was not accepted: ${code}`;
    }
    if (typeof code === 'string' && code !== '') return code;
    if (cause.message) return cause.message;
  }
  return error instanceof Error && error.message ? error.message : 'network failure';
}

/** How GETs are retried: how many times, the first pause (doubled each time), and the longest Retry-After honoured. */
export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The pause before retry number `attempt` (0-based): the server's Retry-After
 * when it gave one, else exponential backoff with jitter. Undefined when the
 * server asks for a longer wait than the policy allows: then the caller
 * reports the wait instead of sleeping through it.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter: number | undefined): number | undefined {
  if (retryAfter !== undefined) {
    const ms = retryAfter * 1000;
    return ms <= policy.maxDelayMs ? ms : undefined;
  }
  const backoff = policy.baseDelayMs * 2 ** attempt;
  return Math.min(policy.maxDelayMs, backoff / 2 + Math.random() * (backoff / 2));
}

/** Sleeps, or rejects as soon as the caller cancels. */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, signal ? { signal } : {});
}
