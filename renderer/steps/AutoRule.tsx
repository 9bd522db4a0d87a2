import { ChevronRight, KeyRound, UserCheck, Wand2, X } from 'lucide-react';
import { useState } from 'react';
import { buildWebhookRule, TICKET_UPDATES_AUTOMATION } from '../../main/core/webhook-rule.js';
import type { StepProps } from '../App';
import { LIMITS, lengthProblem, ruleKey, subdomainKey } from '../state';
import { FailureNotice, Field, Notice, Spinner } from '../ui';
import { ruleNameFor } from '../walkthrough';

/**
 * "Create the rule for me": the rule is built here exactly as main sends it
 * (buildWebhookRule), shown before anything is sent, then created through
 * Freshdesk's API with an admin's API key. Main looks for a rule that already
 * posts to the events URL first and reuses it, so pressing again never makes
 * a second rule.
 */
export function AutoRule({
  state,
  actions,
  eventsUrl,
  instanceId,
}: StepProps & { eventsUrl: string; instanceId: string }) {
  const [reveal, setReveal] = useState(false);
  const { rule } = state;
  const subdomain = subdomainKey(state.freshdesk);
  const key = ruleKey(state);
  const sameUrl = rule.eventsUrl === eventsUrl;
  const check = sameUrl ? rule.check : { status: 'idle' as const };
  const create = sameUrl ? rule.create : { status: 'idle' as const };
  const built = buildWebhookRule(eventsUrl, { name: ruleNameFor(instanceId) });
  const keyTooLong = rule.ownKey ? lengthProblem(rule.apiKey, LIMITS.secret, 'Freshdesk API key') : undefined;
  const keyProblem =
    keyTooLong ??
    (rule.ownKey && /\s/.test(rule.apiKey.trim()) ? 'The API key has a space inside: copy it again.' : undefined);
  const canCall = key.source !== 'none' && keyProblem === undefined && subdomain !== '';
  const stepKeyExists = state.freshdesk.authKind === 'apiKey' && state.freshdesk.apiKey.trim() !== '';
  const busy = create.status === 'busy';

  return (
    <div className="stack" data-testid="auto-rule">
      <p className="muted">
        The app signs in to <span className="mono">{subdomain || 'your account'}.freshdesk.com</span> with an
        administrator&apos;s API key, looks for a ticket-updates rule that already posts to this events URL (and reuses
        it), and otherwise creates the rule below and reads it back.
      </p>

      <div className="key-panel" data-testid="rule-key">
        <KeyRound size={18} aria-hidden="true" className="key-panel__icon" />
        <div className="key-panel__body">
          {key.source === 'step' ? (
            <p>Uses the API key you typed on the Freshdesk account step.</p>
          ) : key.source === 'saved' ? (
            <p>Uses the Freshdesk API key saved in the OS keychain for {subdomain}.freshdesk.com.</p>
          ) : null}
          {rule.ownKey ? (
            <>
              <Field
                id="rule-api-key"
                label="Administrator's Freshdesk API key"
                hint="Freshdesk: your profile picture > Profile settings > View API key. Used for this rule only, never saved."
                error={keyProblem}
              >
                {(aria) => (
                  <input
                    {...aria}
                    className="input mono"
                    type={reveal ? 'text' : 'password'}
                    spellCheck={false}
                    autoComplete="off"
                    value={rule.apiKey}
                    onChange={(event) => actions.setRule({ apiKey: event.target.value })}
                  />
                )}
              </Field>
              <label className="toggle">
                <input type="checkbox" checked={reveal} onChange={(event) => setReveal(event.target.checked)} />
                Show what you type
              </label>
              {stepKeyExists || state.savedFreshdesk?.saved === true ? (
                <button type="button" className="link-button" onClick={() => actions.setRule({ ownKey: false })}>
                  Use the key from the Freshdesk account step instead
                </button>
              ) : null}
            </>
          ) : key.source === 'none' ? (
            <>
              <p data-testid="rule-key-missing">{key.reason}</p>
              <div className="actions">
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => actions.setRule({ ownKey: true })}
                >
                  Type an API key
                </button>
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() => actions.setRule({ mode: 'manual' })}
                >
                  Follow the walkthrough instead
                </button>
              </div>
            </>
          ) : (
            <button type="button" className="link-button" onClick={() => actions.setRule({ ownKey: true })}>
              Use another key (for example an administrator&apos;s)
            </button>
          )}
        </div>
      </div>

      <div className="actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={actions.checkRuleKey}
          disabled={!canCall || check.status === 'busy'}
        >
          {check.status === 'busy' ? (
            <Spinner label="Checking…" />
          ) : (
            <>
              <UserCheck size={16} aria-hidden="true" />
              Check the key
            </>
          )}
        </button>
        <span className="muted" role="status" data-testid="rule-key-check">
          {check.status === 'ok'
            ? `Signed in as ${check.value.agentName}${check.value.agentEmail ? ` (${check.value.agentEmail})` : ''}.`
            : check.status === 'idle'
              ? 'Optional: asks Freshdesk who the key belongs to (GET /api/v2/agents/me).'
              : ''}
        </span>
      </div>
      {check.status === 'error' ? (
        <FailureNotice title="The key check failed" error={check.error} testId="rule-key-error" />
      ) : null}

      {/* Open until the rule exists; remounted then, so it folds away. */}
      <details className="disclosure" key={create.status === 'ok' ? 'sent' : 'draft'} open={create.status !== 'ok'}>
        <summary>
          <ChevronRight size={16} aria-hidden="true" className="disclosure__chevron" />
          The rule that will be sent
        </summary>
        <div className="disclosure__body">
          <p className="muted">
            <code>
              POST https://{subdomain || 'SUBDOMAIN'}.freshdesk.com/api/v2/automations/{TICKET_UPDATES_AUTOMATION}/rules
            </code>{' '}
            (rules that run on ticket updates) with this body. The API key goes only in the request&apos;s Authorization
            header.
          </p>
          {built.ok ? (
            <dl className="rule-facts" data-testid="rule-facts">
              <div>
                <dt>Name</dt>
                <dd>{built.value.name}</dd>
              </div>
              <div>
                <dt>Runs on</dt>
                <dd>Ticket updates (legacy name: Observer), when a ticket&apos;s status changes</dd>
              </div>
              <div>
                <dt>Action</dt>
                <dd>Trigger Webhook: POST, encoding JSON, to</dd>
              </div>
              <div>
                <dt>URL</dt>
                <dd className="mono">{eventsUrl}</dd>
              </div>
            </dl>
          ) : null}
          {built.ok ? (
            <pre className="code code--tall" data-testid="rule-preview" tabIndex={0}>
              {JSON.stringify(built.value, null, 2)}
            </pre>
          ) : (
            <p className="field__error">{built.message}</p>
          )}
        </div>
      </details>

      <div className="actions">
        <button
          type="button"
          className="button button--primary"
          onClick={actions.createRule}
          disabled={!canCall || !built.ok || busy}
        >
          {busy ? (
            <Spinner label="Creating the rule…" />
          ) : (
            <>
              <Wand2 size={16} aria-hidden="true" />
              Create the rule
            </>
          )}
        </button>
        {busy ? (
          <button type="button" className="button button--secondary" onClick={actions.cancelRule}>
            <X size={16} aria-hidden="true" />
            Cancel
          </button>
        ) : null}
        <span className="muted" role={busy ? 'status' : undefined}>
          {busy
            ? 'Waiting for Freshdesk…'
            : 'An existing rule for this URL is reused: pressing again never doubles it.'}
        </span>
      </div>

      {create.status === 'ok' ? (
        <Notice
          tone={create.value.warnings.length > 0 || !create.value.active ? 'warning' : 'success'}
          title={
            create.value.created
              ? `Rule “${create.value.name}” (ID ${create.value.id}) created`
              : 'An existing rule already posts to this URL: reused'
          }
          testId="rule-result"
        >
          {create.value.created ? (
            <p>
              Freshdesk saved it, and it reads back with the Trigger Webhook action: POST, JSON, to the events URL.
              Press Next to check that ticket updates really arrive.
            </p>
          ) : (
            <p>
              Rule “{create.value.name}” (ID {create.value.id}) already posts to the events URL, so no second rule was
              made. Press Next to check that events arrive.
            </p>
          )}
          {create.value.warnings.length > 0 ? (
            <ul className="problems" data-testid="rule-warnings">
              {create.value.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      {create.status === 'error' ? (
        <FailureNotice
          title={create.error.kind === 'cancelled' ? 'Creating the rule was cancelled' : 'The rule was not created'}
          error={create.error}
          testId="rule-error"
        >
          <div className="actions">
            {create.error.field === 'apiKey' || create.error.kind === 'credentials' ? (
              <button type="button" className="link-button" onClick={() => actions.setRule({ ownKey: true })}>
                Use another API key
              </button>
            ) : null}
            {create.error.field === 'subdomain' ? (
              <button type="button" className="link-button" onClick={() => actions.goTo('freshdesk')}>
                Edit Freshdesk account
              </button>
            ) : null}
            <button type="button" className="link-button" onClick={() => actions.setRule({ mode: 'manual' })}>
              Follow the walkthrough instead
            </button>
          </div>
        </FailureNotice>
      ) : null}
    </div>
  );
}
