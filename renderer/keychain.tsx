import { KeyRound, PencilLine, ShieldCheck, Trash2, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import type { ApiFailure, KeychainOutcome, KeychainStatus } from '../main/ipc/contract.js';
import { Spinner } from './ui';

/**
 * The keychain parts of the Connect and Freshdesk steps. The renderer only
 * ever learns whether secrets are saved: it never receives one.
 */

/** "Remember in the OS keychain": on by default, disabled (with the reason) when the keychain cannot be used. */
export function RememberToggle({
  id,
  checked,
  keychain,
  bannerShown,
  onChange,
  savedWhen,
}: {
  id: string;
  checked: boolean;
  keychain: KeychainStatus;
  /** The keychain banner above says what is wrong: the hint then only points at it. */
  bannerShown: boolean;
  onChange: (checked: boolean) => void;
  /** For what and when saving happens, e.g. "for acme once the instance is created with them". */
  savedWhen: string;
}) {
  const hintId = `${id}-hint`;
  return (
    <div className="remember">
      <label className="toggle" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked && keychain.usable}
          disabled={!keychain.usable}
          aria-describedby={hintId}
          onChange={(event) => onChange(event.target.checked)}
        />
        <KeyRound size={16} aria-hidden="true" />
        Remember in the OS keychain
      </label>
      <p id={hintId} className="remember__hint">
        {keychain.usable
          ? `Saved ${savedWhen}; never written anywhere else.`
          : bannerShown
            ? 'Not available: the OS keychain cannot be used (the fix is in the banner above). Secrets are kept in memory for this run only.'
            : `Not available: ${keychain.message} Secrets are kept in memory for this run only.`}
      </p>
    </div>
  );
}

/**
 * "Secrets for <host> are saved in the OS keychain" with Use / Forget, or,
 * once in use, "Using the saved secrets" with Type instead / Forget.
 */
export function SavedSecretsPanel({
  testId,
  savedTitle,
  savedDetail,
  usingTitle,
  usingDetail,
  using,
  useLabel,
  forgetLabel,
  onUse,
  onTypeInstead,
  onForget,
}: {
  testId: string;
  savedTitle: string;
  savedDetail: string;
  usingTitle: string;
  usingDetail: string;
  using: boolean;
  useLabel: string;
  forgetLabel: string;
  onUse: () => void;
  onTypeInstead: () => void;
  onForget: () => Promise<ApiFailure | undefined>;
}) {
  const [forget, setForget] = useState<{ status: 'idle' | 'busy' } | { status: 'error'; message: string }>({
    status: 'idle',
  });
  const forgetNow = async () => {
    setForget({ status: 'busy' });
    const failure = await onForget();
    setForget(failure === undefined ? { status: 'idle' } : { status: 'error', message: failure.message });
  };
  return (
    <div className={`saved-panel${using ? ' saved-panel--using' : ''}`} data-testid={testId} role="group">
      <div className="saved-panel__text">
        <ShieldCheck size={18} aria-hidden="true" className="saved-panel__icon" />
        <div>
          <p className="saved-panel__title">{using ? usingTitle : savedTitle}</p>
          <p className="saved-panel__detail">{using ? usingDetail : savedDetail}</p>
        </div>
      </div>
      <div className="saved-panel__actions">
        {using ? (
          <button type="button" className="button button--secondary button--small" onClick={onTypeInstead}>
            <PencilLine size={15} aria-hidden="true" />
            Type them instead
          </button>
        ) : (
          <button type="button" className="button button--primary button--small" onClick={onUse}>
            <KeyRound size={15} aria-hidden="true" />
            {useLabel}
          </button>
        )}
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => void forgetNow()}
          disabled={forget.status === 'busy'}
        >
          {forget.status === 'busy' ? (
            <Spinner label="Forgetting…" />
          ) : (
            <>
              <Trash2 size={15} aria-hidden="true" />
              {forgetLabel}
            </>
          )}
        </button>
      </div>
      {forget.status === 'error' ? (
        <p className="field__error" role="alert">
          <TriangleAlert size={14} aria-hidden="true" />
          <span>{forget.message}</span>
        </p>
      ) : null}
    </div>
  );
}

/** What happened to typed secrets after a successful call: saved, or why not. */
export function KeychainOutcomeLine({
  outcome,
  testId,
  what,
}: {
  outcome: KeychainOutcome;
  testId: string;
  /** Names the secrets when more than one kind is reported, e.g. "Freshdesk API key". */
  what?: string;
}) {
  if (outcome.state === 'not-requested') return null;
  if (outcome.state === 'saved') {
    return (
      <p className="keychain-outcome keychain-outcome--saved" data-testid={testId}>
        <ShieldCheck size={15} aria-hidden="true" />
        {what === undefined ? 'Saved in the OS keychain' : `${what}: saved in the OS keychain`}
      </p>
    );
  }
  return (
    <p className="keychain-outcome keychain-outcome--failed" data-testid={testId}>
      <TriangleAlert size={15} aria-hidden="true" />
      <span>
        {what === undefined ? 'Not saved in the OS keychain' : `${what}: not saved in the OS keychain`}:{' '}
        {outcome.message} Kept in memory for this run only.
      </span>
    </p>
  );
}
