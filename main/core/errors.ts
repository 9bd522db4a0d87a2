/**
 * The kinds of failure the app and the CLI tell apart. Each kind maps to one
 * CLI exit status (see PRODUCT.md) and one way the wizard presents it.
 */
export type ErrorKind =
  | 'invalid-input' // refused before anything was sent
  | 'bad-request' // the server refused the request as malformed (400)
  | 'conflict' // the thing already exists
  | 'credentials' // missing or rejected secrets
  | 'keychain' // the OS keychain cannot be used (no Secret Service, locked, not answering)
  | 'timeout'
  | 'network'
  | 'server' // 5xx
  | 'unreadable' // a response we could not parse
  | 'cancelled';

/** A failure whose message is safe to show to the user: it never contains a secret. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  /** The form field the problem belongs to, when there is one. */
  readonly field: string | undefined;
  /** HTTP status of the server answer behind this error, when there was one. */
  readonly status: number | undefined;
  /** Every field problem, when validation found several at once. */
  readonly problems: FieldProblem[] | undefined;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { field?: string; status?: number; problems?: FieldProblem[] } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.field = options.field;
    this.status = options.status;
    this.problems = options.problems;
  }
}

/** CLI exit status for each kind: 2 bad input, 3 credentials, 4 network or server. */
export function exitCodeFor(kind: ErrorKind): 2 | 3 | 4 {
  switch (kind) {
    case 'invalid-input':
    case 'bad-request':
    case 'conflict':
      return 2;
    case 'credentials':
    case 'keychain':
      return 3;
    case 'timeout':
    case 'network':
    case 'server':
    case 'unreadable':
    case 'cancelled':
      return 4;
  }
}

/** A field-level problem found by validation. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Outcome of a pure check: a value, or the reason it was refused. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
export const refuse = <T = never>(message: string): Checked<T> => ({ ok: false, message });
