import { Check, CircleAlert, CircleCheck, Copy, Info, LoaderCircle, TriangleAlert, X } from 'lucide-react';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiFailure } from '../main/ipc/contract.js';
import { api } from './api';

/** Small building blocks shared by the steps: labelled fields, notices, copy buttons. */

/**
 * A message that quotes a huge paste (a 3000-character host, say) keeps its
 * words but shows only both ends of the pasted run: the middle of a run of
 * more than 120 characters without a space becomes "…".
 */
export function readable(message: string): string {
  return message.replace(/\S{121,}/g, (run) => `${run.slice(0, 60)}…${run.slice(-40)}`);
}

export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return list.length > 0 ? list.join(' ') : undefined;
}

interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  /** Rendered under the input, above the error (for example a live preview). */
  after?: ReactNode;
  children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

/** A label, the control (render prop, so any input fits), an optional hint and the field's error. */
export function Field({ id, label, error, hint, after, children }: FieldProps) {
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorId = error === undefined ? undefined : `${id}-error`;
  return (
    <div className={`field${error === undefined ? '' : ' field--invalid'}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint === undefined ? null : (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': describedBy(hintId, errorId) })}
      {after}
      {error === undefined ? null : (
        <p id={errorId} className="field__error">
          <CircleAlert size={14} aria-hidden="true" />
          <span>{readable(error)}</span>
        </p>
      )}
    </div>
  );
}

type NoticeTone = 'info' | 'success' | 'warning' | 'error';

const NOTICE_ICON = { info: Info, success: CircleCheck, warning: TriangleAlert, error: CircleAlert } as const;

export function Notice({
  tone,
  title,
  children,
  testId,
  onDismiss,
}: {
  tone: NoticeTone;
  title?: string;
  children?: ReactNode;
  testId?: string | undefined;
  /** Shows a "Dismiss" button. */
  onDismiss?: () => void;
}) {
  const Icon = NOTICE_ICON[tone];
  return (
    <div
      className={`notice notice--${tone}`}
      role={tone === 'error' ? 'alert' : tone === 'info' ? undefined : 'status'}
      data-testid={testId}
    >
      <Icon size={18} aria-hidden="true" className="notice__icon" />
      <div className="notice__body">
        {title === undefined ? null : <p className="notice__title">{title}</p>}
        {children}
      </div>
      {onDismiss === undefined ? null : (
        <button
          type="button"
          className="notice__dismiss"
          aria-label={title === undefined ? 'Dismiss' : `Dismiss: ${title}`}
          onClick={onDismiss}
        >
          <X size={16} aria-hidden="true" />
        </button>
      )}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <>
      <LoaderCircle size={16} aria-hidden="true" className="spin" />
      {label}
    </>
  );
}

/**
 * Scrolls the returned element into view when `key` changes after the first
 * render: results that appear below the fold (a test result, a created
 * instance) are brought into sight.
 */
export function useRevealOnChange<T extends HTMLElement>(key: string) {
  const ref = useRef<T>(null);
  const previous = useRef(key);
  useEffect(() => {
    if (previous.current === key) return;
    previous.current = key;
    ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [key]);
  return ref;
}

type CopyStatus = { key: string; status: 'busy' | 'copied' } | { key: string; status: 'error'; message: string };

/**
 * Clipboard writes go through main. "Copied" appears only after the write
 * resolved ok; copying one value clears the "Copied" of the others, since the
 * clipboard no longer holds them.
 */
export function useCopier() {
  const [state, setState] = useState<CopyStatus | undefined>(undefined);
  const copy = useCallback(async (key: string, text: string) => {
    setState({ key, status: 'busy' });
    const result = await api.writeClipboard({ text });
    setState(result.ok ? { key, status: 'copied' } : { key, status: 'error', message: result.error.message });
  }, []);
  return { state, copy };
}

export type Copier = ReturnType<typeof useCopier>;

/** A copy button (accessible name "Copy <what>") and its status next to it. */
export function CopyButton({
  copier,
  copyKey,
  what,
  text,
  compact = false,
  primary = false,
  visibleLabel = 'Copy',
}: {
  copier: Copier;
  copyKey: string;
  what: string;
  text: string;
  compact?: boolean;
  /** The main action of its area (the Welcome resume banner). */
  primary?: boolean;
  /** The button's visible text; its accessible name is always "Copy <what>". */
  visibleLabel?: string;
}) {
  const mine = copier.state?.key === copyKey ? copier.state : undefined;
  const statusId = `copy-status-${copyKey}`;
  return (
    <span className="copy">
      <button
        type="button"
        className={`button ${primary ? 'button--primary' : 'button--secondary'}${compact ? ' button--small' : ''}`}
        aria-label={`Copy ${what}`}
        aria-describedby={statusId}
        disabled={mine?.status === 'busy'}
        onClick={() => void copier.copy(copyKey, text)}
      >
        <Copy size={15} aria-hidden="true" />
        {visibleLabel}
      </button>
      <span id={statusId} className="copy__status" role="status" data-testid={statusId}>
        {mine?.status === 'copied' ? (
          <span className="copy__ok">
            <Check size={15} aria-hidden="true" />
            Copied
          </span>
        ) : null}
        {mine?.status === 'error' ? (
          <span className="copy__error">
            <CircleAlert size={15} aria-hidden="true" />
            {mine.message}
          </span>
        ) : null}
      </span>
    </span>
  );
}

/** A labelled value in monospace with its copy button: the rows of the Events URL and Done steps. */
export function ValueRow({
  label,
  value,
  copier,
  copyKey,
  what,
  testId,
}: {
  label: string;
  value: string;
  copier: Copier;
  copyKey: string;
  what: string;
  testId: string;
}) {
  return (
    <div className="value-row">
      <div className="value-row__head">
        <span className="value-row__label">{label}</span>
        <CopyButton copier={copier} copyKey={copyKey} what={what} text={value} compact />
      </div>
      <code className="mono value" data-testid={testId}>
        {value}
      </code>
    </div>
  );
}

/** What to do after a timeout or a network failure, when main's message does not already say it. */
function retryHint(error: ApiFailure): string | undefined {
  if (/try again|check /i.test(error.message)) return undefined;
  if (error.kind === 'timeout') return 'Try again in a moment; if it keeps timing out, check your connection.';
  if (error.kind === 'network')
    return "Can't reach the server: check your connection (and any VPN or proxy), then try again.";
  return undefined;
}

/**
 * A failed call as main worded it (its message says what happened and what to
 * do), with every field problem it named, and a reminder that nothing typed
 * was lost. A cancelled call is a warning, not an error.
 */
export function FailureNotice({
  title,
  error,
  testId,
  children,
}: {
  title: string;
  error: ApiFailure;
  testId?: string | undefined;
  children?: ReactNode;
}) {
  const problems = (error.problems ?? []).filter((problem) => problem.message !== error.message);
  return (
    <Notice tone={error.kind === 'cancelled' ? 'warning' : 'error'} title={title} testId={testId}>
      <p className="failure__message" data-error-kind={error.kind}>
        {readable(error.message)}
      </p>
      {problems.length > 0 ? (
        <ul className="problems">
          {problems.map((problem) => (
            <li key={`${problem.field}:${problem.message}`}>{readable(problem.message)}</li>
          ))}
        </ul>
      ) : null}
      {retryHint(error) === undefined ? null : <p className="failure__hint">{retryHint(error)}</p>}
      {children}
      {error.kind === 'invalid-input' ? null : <p className="muted failure__kept">Everything you typed is kept.</p>}
    </Notice>
  );
}
