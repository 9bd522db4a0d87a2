import { Eye, EyeOff, PlugZap } from 'lucide-react';
import { ENVIRONMENTS } from '../../main/core/api-base.js';
import { useState } from 'react';
import type { StepProps } from '../App';
import { KeychainOutcomeLine, RememberToggle, SavedSecretsPanel } from '../keychain';
import {
  chosenHost,
  cloudElementsSaved,
  connectionErrors,
  CUSTOM_ENVIRONMENT,
  hostProblem,
  resolveApiBase,
  usesSavedCloudElements,
} from '../state';
import { FailureNotice, Field, Notice, Spinner, useRevealOnChange } from '../ui';

export function ConnectCloudElements({ state, actions }: StepProps) {
  const { connection, test, serverErrors } = state;
  // Whether secrets are shown is a view choice, not an answer: it resets to hidden when the step is left.
  const [reveal, setReveal] = useState(false);
  const base = resolveApiBase(connection);
  const errors = state.attempted.connect ? connectionErrors(state) : {};
  const host = chosenHost(connection);
  const saved = cloudElementsSaved(state);
  const usingSaved = usesSavedCloudElements(state);
  const custom = connection.environment === CUSTOM_ENVIRONMENT;
  const hostError =
    errors.host ??
    serverErrors.host ??
    (custom && connection.customHost.trim() !== '' ? hostProblem(connection) : undefined);
  const created = state.create.status === 'created' ? state.create : undefined;
  const resultRef = useRevealOnChange<HTMLDivElement>(test.status);

  return (
    <section className="step" data-testid="step-connect" aria-labelledby="connect-title">
      <h2 id="connect-title" tabIndex={-1}>
        Connect to Cloud Elements
      </h2>
      <p className="lead">Choose where your Cloud Elements account lives and enter its two secrets.</p>

      <div className="form-grid">
        <Field id="environment" label="Environment">
          {(aria) => (
            <select
              {...aria}
              className="input"
              value={connection.environment}
              onChange={(event) => actions.setConnection({ environment: event.target.value })}
            >
              {ENVIRONMENTS.map((env) => (
                <option key={env.id} value={env.id}>
                  {env.label} ({env.host})
                </option>
              ))}
              <option value={CUSTOM_ENVIRONMENT}>Custom host or URL</option>
            </select>
          )}
        </Field>

        {custom ? (
          <Field
            id="custom-host"
            label="Custom host or URL"
            hint="A host such as api.cloud-elements.com, or a whole API URL ending in /elements/api-v2."
            error={hostError}
          >
            {(aria) => (
              <input
                {...aria}
                className="input mono"
                type="text"
                spellCheck={false}
                autoComplete="off"
                value={connection.customHost}
                onChange={(event) => actions.setConnection({ customHost: event.target.value })}
              />
            )}
          </Field>
        ) : null}

        <p className="resolved" data-testid="resolved-api-base">
          <span className="resolved__label">API base</span>
          {base.ok ? <code className="mono">{base.value}</code> : <span className="muted">not set yet</span>}
        </p>
        {!custom && hostError !== undefined ? <p className="field__error">{hostError}</p> : null}

        {saved && host !== undefined ? (
          <SavedSecretsPanel
            testId="saved-cloud-elements"
            savedTitle={`Secrets for ${host} are saved in the OS keychain.`}
            savedDetail="Use them instead of typing, or forget them to remove them from this computer."
            usingTitle={`Using the secrets saved for ${host}`}
            usingDetail="Nothing to type: the app reads them from the OS keychain itself, and this window never sees them."
            using={usingSaved}
            useLabel="Use saved secrets"
            forgetLabel="Forget saved secrets"
            onUse={() => actions.setConnection({ useSaved: true })}
            onTypeInstead={() => actions.setConnection({ useSaved: false })}
            onForget={actions.forgetCloudElements}
          />
        ) : null}

        {usingSaved ? null : (
          <>
            <Field id="user-secret" label="User secret" error={errors.userSecret ?? serverErrors.userSecret}>
              {(aria) => (
                <input
                  {...aria}
                  className="input mono"
                  type={reveal ? 'text' : 'password'}
                  spellCheck={false}
                  autoComplete="off"
                  value={connection.userSecret}
                  onChange={(event) => actions.setConnection({ userSecret: event.target.value })}
                />
              )}
            </Field>

            <Field id="org-secret" label="Organization secret" error={errors.orgSecret ?? serverErrors.orgSecret}>
              {(aria) => (
                <input
                  {...aria}
                  className="input mono"
                  type={reveal ? 'text' : 'password'}
                  spellCheck={false}
                  autoComplete="off"
                  value={connection.orgSecret}
                  onChange={(event) => actions.setConnection({ orgSecret: event.target.value })}
                />
              )}
            </Field>

            <div className="toggles">
              <label className="toggle">
                <input type="checkbox" checked={reveal} onChange={(event) => setReveal(event.target.checked)} />
                {reveal ? <EyeOff size={16} aria-hidden="true" /> : <Eye size={16} aria-hidden="true" />}
                Show what you type
              </label>
              <RememberToggle
                id="remember-cloud-elements"
                checked={connection.remember}
                keychain={state.keychain}
                bannerShown={!state.keychainBannerDismissed}
                onChange={(remember) => actions.setConnection({ remember })}
                savedWhen={`for ${host ?? 'this host'} once Test connection or Create instance accepts them`}
              />
            </div>
          </>
        )}
        {usingSaved && serverErrors.userSecret !== undefined ? (
          <p className="field__error">{serverErrors.userSecret}</p>
        ) : null}
      </div>

      <div className="actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={actions.testConnection}
          disabled={test.status === 'busy'}
        >
          {test.status === 'busy' ? (
            <Spinner label="Testing…" />
          ) : (
            <>
              <PlugZap size={16} aria-hidden="true" />
              Test connection
            </>
          )}
        </button>
        <span className="muted">Recommended: proves the secrets work before anything is created.</span>
      </div>

      <div ref={resultRef} className="stack">
        {test.status === 'ok' && test.report.webhookElementAvailable ? (
          <Notice tone="success" title="Secrets accepted" testId="connection-result">
            <p data-testid="element-availability">
              The webhook-based <code>freshdesk</code> element is available: Freshdesk will push ticket events to Cloud
              Elements through a rule you set up on the Freshdesk webhook step.
            </p>
            <KeychainOutcomeLine outcome={test.report.keychain} testId="connection-keychain" />
          </Notice>
        ) : null}
        {test.status === 'ok' && !test.report.webhookElementAvailable && test.report.pollingElementAvailable ? (
          <Notice tone="info" title="Secrets accepted: this account uses polling" testId="connection-result">
            <p data-testid="element-availability">
              The webhook-based <code>freshdesk</code> element is not available to this account; only{' '}
              <code>freshdeskv2</code> is.
            </p>
            <p data-testid="polling-explained">
              <code>freshdeskv2</code> delivers events by polling: Cloud Elements checks Freshdesk every few minutes
              (you choose how often on the Instance step) and sends what changed to your callback URL. No Freshdesk rule
              is needed, so the Freshdesk webhook step is skipped. The polling path is selected for you.
            </p>
            <KeychainOutcomeLine outcome={test.report.keychain} testId="connection-keychain" />
          </Notice>
        ) : null}
        {test.status === 'ok' && !test.report.webhookElementAvailable && !test.report.pollingElementAvailable ? (
          <Notice tone="warning" title="Secrets accepted, but no Freshdesk element" testId="connection-result">
            <p data-testid="element-availability">
              Neither <code>freshdesk</code> (webhook) nor <code>freshdeskv2</code> (polling) is available to this
              account on {host ?? 'this host'}. Ask your Cloud Elements administrator to enable a Freshdesk element, or
              check that this is your account&apos;s region.
            </p>
            <KeychainOutcomeLine outcome={test.report.keychain} testId="connection-keychain" />
          </Notice>
        ) : null}
        {test.status === 'error' ? (
          <FailureNotice title="The connection test failed" error={test.error} testId="connection-error" />
        ) : null}
      </div>
      {created !== undefined && base.ok && base.value !== created.apiBase ? (
        <Notice tone="info">
          <p>
            Instance {created.instance.id} was created on <code>{created.apiBase}</code>; its events URL stays on that
            host.
          </p>
        </Notice>
      ) : null}
    </section>
  );
}
