import { AppError } from '../core/errors.js';
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
    // Name the paths only: the values may be secrets.
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(request)').join(', ');
    return failure({ kind: 'invalid-input', message: `The app sent a malformed ${method} request (${paths}).` });
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
