import type { z } from 'zod';
import { AppError, type FieldProblem } from '../core/errors.js';
import type { ApiMethod } from './channels.js';
import { requestSchemas, type ApiFailure, type ApiResponses, type ApiResult } from './contract.js';
import type { Handlers } from './handlers.js';

/**
 * Validates one message against the contract's schema, runs its handler and
 * turns any failure into a safe result. Both the Electron registration and
 * the e2e harness go through here.
 */
export async function dispatch<M extends ApiMethod>(
  handlers: Handlers,
  method: M,
  rawRequest: unknown,
): Promise<ApiResult<ApiResponses[M]>> {
  const schema = requestSchemas[method];
  const parsed = schema.safeParse(rawRequest);
  if (!parsed.success) {
    // Name the fields only: the values may be secrets.
    const problems = parsed.error.issues.map(problemOf);
    const [first] = problems;
    const message = problems.length === 1 && first ? first.message : `${problems.length} entries need attention.`;
    return failure({ kind: 'invalid-input', message, field: first?.field, problems });
  }
  const handler = handlers[method] as (request: unknown) => Promise<ApiResponses[M]>;
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return failure(toFailure(method, error));
  }
}

export function toFailure(method: string, error: unknown): ApiFailure {
  if (error instanceof AppError) {
    return { kind: error.kind, message: error.message, field: error.field, problems: error.problems };
  }
  // An unexpected error's message could quote anything it was given, secrets included: log its type only.
  console.error(`Unexpected ${error instanceof Error ? error.name : typeof error} in ${method}`);
  return { kind: 'internal', message: 'Something went wrong inside the app. Try again; your entries are kept.' };
}

function failure<T>(error: ApiFailure): ApiResult<T> {
  return { ok: false, error };
}

const LABELS: Record<string, string> = {
  apiBase: 'The host',
  userSecret: 'The user secret',
  orgSecret: 'The organization secret',
  apiKey: 'The Freshdesk API key',
  username: 'The Freshdesk username',
  password: 'The Freshdesk password',
  name: 'The instance name',
  tags: 'The tags',
  subdomain: 'The subdomain',
  callbackUrl: 'The callback URL',
  eventsUrl: 'The events URL',
  text: 'The text',
};

/** A schema refusal as the field it belongs to and what is wrong, in words a user can act on. */
function problemOf(issue: z.core.$ZodIssue): FieldProblem {
  const field = [...issue.path].reverse().find((part): part is string => typeof part === 'string') ?? 'request';
  const label = LABELS[field] ?? 'This entry';
  if (issue.code === 'too_big' && typeof issue.maximum === 'number') {
    const unit = issue.origin === 'array' ? 'entries' : 'characters';
    return { field, message: `${label} is too long: at most ${issue.maximum} ${unit}.` };
  }
  if (issue.code === 'unrecognized_keys')
    return { field, message: `The app sent an unexpected entry (${issue.keys.join(', ')}).` };
  return { field, message: `${label} is not valid (${issue.code.replace(/_/g, ' ')}).` };
}
