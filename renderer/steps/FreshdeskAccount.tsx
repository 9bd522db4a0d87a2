import { Eye, EyeOff, Globe } from 'lucide-react';
import { useState } from 'react';
import { freshdeskUrl, normalizeSubdomain } from '../../main/core/subdomain.js';
import type { StepProps } from '../App';
import { RememberToggle, SavedSecretsPanel } from '../keychain';
import {
  checkInstanceRequest,
  FIELD_STEP,
  freshdeskErrors,
  freshdeskSaved,
  usesSavedFreshdesk,
  type AuthKind,
} from '../state';
import { Field } from '../ui';

const AUTH_OPTIONS: readonly { kind: AuthKind; label: string; hint: string }[] = [
  {
    kind: 'apiKey',
    label: 'API key (recommended)',
    hint: 'Freshdesk: your profile picture > Profile settings > View API key.',
  },
  { kind: 'password', label: 'Username and password', hint: 'An agent e-mail address and its password.' },
];

export function FreshdeskAccount({ state, actions }: StepProps) {
  const { freshdesk, serverErrors } = state;
  const [reveal, setReveal] = useState(false);
  const subdomain = normalizeSubdomain(freshdesk.subdomain);

  // Live checks of what was typed, plus (after a Create attempt) the credentials the instance needs.
  const errors: Record<string, string> = { ...freshdeskErrors(state) };
  const saved = freshdeskSaved(state);
  const usingSaved = usesSavedFreshdesk(state);
  if (state.attempted.instance === true && state.instance.mode === 'create') {
    const check = checkInstanceRequest(state);
    if (!check.ok) {
      for (const problem of check.problems) {
        if (FIELD_STEP[problem.field] === 'freshdesk' && !(problem.field in errors))
          errors[problem.field] = problem.message;
      }
    }
  }
  const shown = (field: string): string | undefined => {
    if (field === 'subdomain' && freshdesk.subdomain.trim() === '' && state.attempted.freshdesk !== true)
      return undefined;
    return errors[field] ?? serverErrors[field];
  };
  const subdomainError = shown('subdomain');

  return (
    <section className="step" data-testid="step-freshdesk" aria-labelledby="freshdesk-title">
      <h2 id="freshdesk-title" tabIndex={-1}>
        Freshdesk account
      </h2>
      <p className="lead">Which Freshdesk account sends the events, and how Cloud Elements signs in to it.</p>

      <div className="form-grid">
        <Field
          id="subdomain"
          label="Freshdesk subdomain"
          hint="Type it any way: acme, acme.freshdesk.com or the whole address."
          error={subdomainError}
          after={
            subdomain.ok ? (
              <p className="preview" data-testid="subdomain-preview">
                <Globe size={15} aria-hidden="true" />
                <span className="mono">{freshdeskUrl(subdomain.value)}</span>
              </p>
            ) : null
          }
        >
          {(aria) => (
            <input
              {...aria}
              className="input"
              type="text"
              spellCheck={false}
              autoComplete="off"
              placeholder="acme"
              value={freshdesk.subdomain}
              onChange={(event) => actions.setFreshdesk({ subdomain: event.target.value })}
            />
          )}
        </Field>

        {saved && subdomain.ok ? (
          <SavedSecretsPanel
            testId="saved-freshdesk"
            savedTitle={`Freshdesk credentials for ${subdomain.value}.freshdesk.com are saved in the OS keychain.`}
            savedDetail="Use them for the new instance instead of typing, or forget them to remove them from this computer."
            usingTitle={`Using the Freshdesk credentials saved for ${subdomain.value}.freshdesk.com`}
            usingDetail="Nothing to type: the app reads them from the OS keychain itself, and this window never sees them."
            using={usingSaved}
            useLabel="Use saved credentials"
            forgetLabel="Forget saved credentials"
            onUse={() => actions.setFreshdesk({ useSaved: true })}
            onTypeInstead={() => actions.setFreshdesk({ useSaved: false })}
            onForget={actions.forgetFreshdesk}
          />
        ) : null}

        {usingSaved ? null : (
          <>
            <fieldset className="choice choice--columns">
              <legend className="field__label">How Cloud Elements signs in to Freshdesk</legend>
              {AUTH_OPTIONS.map((option) => (
                <div key={option.kind} className="choice__option">
                  <input
                    id={`auth-${option.kind}`}
                    type="radio"
                    name="auth-kind"
                    value={option.kind}
                    aria-describedby={`auth-${option.kind}-hint`}
                    checked={freshdesk.authKind === option.kind}
                    onChange={() => actions.setFreshdesk({ authKind: option.kind })}
                  />
                  <span>
                    <label htmlFor={`auth-${option.kind}`}>{option.label}</label>
                    <span id={`auth-${option.kind}-hint`} className="choice__hint">
                      {option.hint}
                    </span>
                  </span>
                </div>
              ))}
            </fieldset>

            {freshdesk.authKind === 'apiKey' ? (
              <Field
                id="api-key"
                label="Freshdesk API key"
                hint="Needed to create a new instance; leave it empty if you already have one."
                error={shown('apiKey')}
              >
                {(aria) => (
                  <input
                    {...aria}
                    className="input mono"
                    type={reveal ? 'text' : 'password'}
                    spellCheck={false}
                    autoComplete="off"
                    value={freshdesk.apiKey}
                    onChange={(event) => actions.setFreshdesk({ apiKey: event.target.value })}
                  />
                )}
              </Field>
            ) : (
              <>
                <Field
                  id="fd-username"
                  label="Freshdesk username"
                  hint="The agent e-mail address."
                  error={shown('username')}
                >
                  {(aria) => (
                    <input
                      {...aria}
                      className="input"
                      type="text"
                      spellCheck={false}
                      autoComplete="off"
                      value={freshdesk.username}
                      onChange={(event) => actions.setFreshdesk({ username: event.target.value })}
                    />
                  )}
                </Field>
                <Field id="fd-password" label="Freshdesk password" error={shown('password')}>
                  {(aria) => (
                    <input
                      {...aria}
                      className="input mono"
                      type={reveal ? 'text' : 'password'}
                      spellCheck={false}
                      autoComplete="off"
                      value={freshdesk.password}
                      onChange={(event) => actions.setFreshdesk({ password: event.target.value })}
                    />
                  )}
                </Field>
              </>
            )}

            <div className="toggles">
              <label className="toggle">
                <input type="checkbox" checked={reveal} onChange={(event) => setReveal(event.target.checked)} />
                {reveal ? <EyeOff size={16} aria-hidden="true" /> : <Eye size={16} aria-hidden="true" />}
                Show what you type
              </label>
              <RememberToggle
                id="remember-freshdesk"
                checked={freshdesk.remember}
                keychain={state.keychain}
                bannerShown={!state.keychainBannerDismissed}
                onChange={(remember) => actions.setFreshdesk({ remember })}
                savedWhen={`for ${subdomain.ok ? subdomain.value : 'this subdomain'} once the instance is created with them`}
              />
            </div>
          </>
        )}
      </div>
    </section>
  );
}
