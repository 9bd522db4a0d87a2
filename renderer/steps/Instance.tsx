import { ChevronRight, CirclePlus, Hash, List, Pencil, RefreshCw, X } from 'lucide-react';
import { useEffect } from 'react';
import { hostOf } from '../../main/core/api-base.js';
import { extractInstanceId } from '../../main/core/instance-id.js';
import {
  curlPreview,
  maskInstanceBody,
  POLLING_RESOURCES,
  REFRESH_INTERVAL_LIMITS,
} from '../../main/core/instance-request.js';
import type { InstanceSummary } from '../../main/ipc/contract.js';
import type { StepProps } from '../App';
import { KeychainOutcomeLine } from '../keychain';
import {
  checkInstanceRequest,
  FIELD_LABEL,
  FIELD_STEP,
  instanceName,
  isPollingElement,
  resolveApiBase,
  stepErrors,
  usesSavedFreshdesk,
  type FreshdeskElement,
  type InstanceMode,
  type PollingResource,
} from '../state';
import { FailureNotice, Field, Notice, readable, Spinner, useRevealOnChange } from '../ui';

const MODES: readonly { mode: InstanceMode; label: string; icon: typeof CirclePlus }[] = [
  { mode: 'create', label: 'Create a new instance', icon: CirclePlus },
  { mode: 'pick', label: 'Pick an existing instance', icon: List },
  { mode: 'existing', label: 'I already have an instance ID', icon: Hash },
];

const ELEMENTS: readonly { element: FreshdeskElement; label: string; hint: string }[] = [
  {
    element: 'freshdesk',
    label: 'Webhook (freshdesk) — recommended',
    hint: 'Freshdesk pushes each ticket update at once, through a rule you set up on the Freshdesk webhook step.',
  },
  {
    element: 'freshdeskv2',
    label: 'Polling (freshdeskv2)',
    hint: 'Cloud Elements checks Freshdesk every few minutes for changes. No Freshdesk rule is needed.',
  },
];

const RESOURCE_LABELS: Readonly<Record<PollingResource, string>> = {
  incidents: 'Tickets (incidents)',
  contacts: 'Contacts',
};

export function Instance({ state, actions }: StepProps) {
  const { instance } = state;

  return (
    <section className="step" data-testid="step-instance" aria-labelledby="instance-title">
      <h2 id="instance-title" tabIndex={-1}>
        Instance
      </h2>
      <p className="lead">
        A Cloud Elements instance connects your Freshdesk account; its ID goes into the events URL.
      </p>

      <fieldset className="segmented segmented--modes">
        <legend className="sr-only">Instance</legend>
        {MODES.map(({ mode, label, icon: Icon }) => (
          <label key={mode} className={`segmented__option${instance.mode === mode ? ' segmented__option--on' : ''}`}>
            <input
              type="radio"
              name="instance-mode"
              value={mode}
              checked={instance.mode === mode}
              onChange={() => actions.setInstance({ mode })}
            />
            <Icon size={15} aria-hidden="true" />
            {label}
          </label>
        ))}
      </fieldset>

      {instance.mode === 'create' ? <CreateInstance state={state} actions={actions} /> : null}
      {instance.mode === 'pick' ? <PickInstance state={state} actions={actions} /> : null}
      {instance.mode === 'existing' ? <ExistingInstance state={state} actions={actions} /> : null}
    </section>
  );
}

function CreateInstance({ state, actions }: StepProps) {
  const { instance, create, serverErrors, test } = state;
  const base = resolveApiBase(state.connection);
  const check = checkInstanceRequest(state);
  const attempted = state.attempted.instance === true;
  const local: Record<string, string> = {};
  if (attempted && !check.ok) {
    for (const problem of check.problems) if (!(problem.field in local)) local[problem.field] = problem.message;
  }
  const fieldError = (field: string): string | undefined => local[field] ?? serverErrors[field];
  // Problems that belong to fields on earlier steps, shown here with a way back to them.
  const elsewhere = Object.entries({ ...serverErrors, ...local }).filter(
    ([field]) => FIELD_STEP[field] !== undefined && FIELD_STEP[field] !== 'instance',
  );
  const created = create.status === 'created' ? create.instance : undefined;
  const keychain = create.status === 'created' ? create.keychain : undefined;
  const busy = create.status === 'busy';
  const locked = created !== undefined || busy;
  // The form is complete but nothing was created yet: say why Next does not go on.
  const resultRef = useRevealOnChange<HTMLDivElement>(create.status);
  const nextBlocked =
    attempted && check.ok && create.status === 'idle' && stepErrors(state, 'instance').create !== undefined;
  const polling = instance.element === 'freshdeskv2';
  const report = test.status === 'ok' ? test.report : undefined;
  const webhookMissing = report !== undefined && !report.webhookElementAvailable;
  const passwordChosen = !usesSavedFreshdesk(state) && state.freshdesk.authKind === 'password';
  const { min, max } = REFRESH_INTERVAL_LIMITS;

  return (
    <div className="stack">
      <fieldset className="choice choice--columns" data-testid="element-choice">
        <legend className="field__label">How events reach Cloud Elements</legend>
        {ELEMENTS.map((option) => {
          const unavailable = option.element === 'freshdesk' && webhookMissing;
          return (
            <div key={option.element} className="choice__option">
              <input
                id={`element-${option.element}`}
                type="radio"
                name="element"
                value={option.element}
                aria-describedby={`element-${option.element}-hint`}
                checked={instance.element === option.element}
                disabled={locked || (unavailable && instance.element !== option.element)}
                onChange={() => actions.setInstance({ element: option.element })}
              />
              <span>
                <label htmlFor={`element-${option.element}`}>{option.label}</label>
                <span id={`element-${option.element}-hint`} className="choice__hint">
                  {unavailable ? 'Not available to this account (Test connection said so).' : option.hint}
                </span>
              </span>
            </div>
          );
        })}
      </fieldset>

      {polling ? (
        <div className="polling" data-testid="polling-settings">
          <p className="muted">
            Cloud Elements asks Freshdesk for changes every few minutes and posts what changed to your callback URL.
            Shorter intervals mean fresher events and more Freshdesk API calls (they count against your plan&apos;s rate
            limit).
          </p>
          <div className="form-row">
            <Field
              id="refresh-interval"
              label="Refresh interval (minutes)"
              hint={`A whole number from ${min} to ${max} (${max / 60} hours). ${REFRESH_INTERVAL_LIMITS.default} is a good start.`}
              error={fieldError('refreshInterval')}
            >
              {(aria) => (
                <input
                  {...aria}
                  className="input"
                  type="number"
                  inputMode="numeric"
                  min={min}
                  max={max}
                  step={1}
                  value={instance.refreshInterval}
                  readOnly={locked}
                  onChange={(event) => actions.setInstance({ refreshInterval: event.target.value })}
                />
              )}
            </Field>
            <fieldset className="choice" aria-describedby={fieldError('resources') ? 'resources-error' : undefined}>
              <legend className="field__label">What to watch</legend>
              <div className="checks">
                {POLLING_RESOURCES.map((resource) => (
                  <label key={resource} className="toggle toggle--plain">
                    <input
                      type="checkbox"
                      checked={instance.resources.includes(resource)}
                      disabled={locked}
                      onChange={(event) =>
                        actions.setInstance({
                          resources: event.target.checked
                            ? [...instance.resources, resource]
                            : instance.resources.filter((r) => r !== resource),
                        })
                      }
                    />
                    {RESOURCE_LABELS[resource]}
                  </label>
                ))}
              </div>
              {fieldError('resources') === undefined ? null : (
                <p id="resources-error" className="field__error">
                  <span>{fieldError('resources')}</span>
                </p>
              )}
            </fieldset>
          </div>
          {passwordChosen ? (
            <Notice tone="warning" title="freshdeskv2 needs the API key" testId="polling-needs-api-key">
              <p>
                The polling element signs in to Freshdesk with an API key only, and you chose username and password on
                the Freshdesk account step. Choose &quot;API key&quot; there and paste the key (Freshdesk: your profile
                picture &gt; Profile settings &gt; View API key).
              </p>
              <button type="button" className="link-button" onClick={() => actions.goTo('freshdesk')}>
                Edit Freshdesk account
              </button>
            </Notice>
          ) : null}
        </div>
      ) : null}

      <div className="form-grid">
        <div className="form-row">
          <Field id="instance-name" label="Instance name" error={fieldError('name')}>
            {(aria) => (
              <input
                {...aria}
                className="input"
                type="text"
                autoComplete="off"
                value={instanceName(state)}
                readOnly={locked}
                onChange={(event) => actions.setInstance({ name: event.target.value, nameEdited: true })}
              />
            )}
          </Field>
          <Field id="instance-tags" label="Tags" error={fieldError('tags')}>
            {(aria) => (
              <input
                {...aria}
                className="input"
                type="text"
                autoComplete="off"
                placeholder="Optional, comma separated"
                value={instance.tags}
                readOnly={locked}
                onChange={(event) => actions.setInstance({ tags: event.target.value })}
              />
            )}
          </Field>
        </div>
        <Field
          id="callback-url"
          label="Callback URL"
          hint="Your app's https address where Cloud Elements will POST the events (not the Cloud Elements events URL)."
          error={fieldError('callbackUrl')}
        >
          {(aria) => (
            <input
              {...aria}
              className="input mono"
              type="url"
              spellCheck={false}
              autoComplete="off"
              placeholder="https://app.example.com/freshdesk-events"
              value={instance.callbackUrl}
              readOnly={locked}
              onChange={(event) => actions.setInstance({ callbackUrl: event.target.value })}
            />
          )}
        </Field>
      </div>

      {elsewhere.length > 0 ? (
        <Notice tone="error" title="Fix these on an earlier step" testId="earlier-step-problems">
          <ul className="problems">
            {elsewhere.map(([field, message]) => {
              const step = FIELD_STEP[field];
              return (
                <li key={field}>
                  <strong>{FIELD_LABEL[field] ?? field}:</strong> {readable(message)}{' '}
                  {step === undefined ? null : (
                    <button type="button" className="link-button" onClick={() => actions.goTo(step)}>
                      {step === 'connect' ? 'Edit Cloud Elements connection' : 'Edit Freshdesk account'}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </Notice>
      ) : null}

      {created === undefined ? (
        <div className="actions">
          <button type="button" className="button button--primary" onClick={actions.createInstance} disabled={busy}>
            {busy ? (
              <Spinner label="Creating…" />
            ) : (
              <>
                <CirclePlus size={16} aria-hidden="true" />
                Create instance
              </>
            )}
          </button>
          {busy ? (
            <button type="button" className="button button--secondary" onClick={actions.cancelCreate}>
              <X size={16} aria-hidden="true" />
              Cancel
            </button>
          ) : null}
          <span className="muted" role={busy ? 'status' : undefined}>
            {busy ? 'Waiting for Cloud Elements…' : 'Nothing is sent before you press it.'}
          </span>
        </div>
      ) : null}

      <div ref={resultRef} className="stack">
        {create.status === 'error' ? (
          <FailureNotice
            title={create.error.kind === 'cancelled' ? 'Create was cancelled' : 'The instance was not created'}
            error={create.error}
            testId="create-error"
          >
            {create.error.kind === 'credentials' ? (
              <button type="button" className="link-button" onClick={() => actions.goTo('connect')}>
                Check the Cloud Elements secrets
              </button>
            ) : null}
            {create.error.kind === 'conflict' ||
            /instance list|may have been created|look for it/i.test(create.error.message) ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  actions.setInstance({ mode: 'pick' });
                  actions.listInstances();
                }}
              >
                Check the instance list
              </button>
            ) : null}
          </FailureNotice>
        ) : null}

        {created !== undefined ? (
          <Notice tone="success" title={`Instance ${created.id} created`} testId="create-result">
            <p>
              “{created.name}” ({created.elementKey}) is ready
              {keychain === undefined ? ' (from your last session)' : ''}. Press Next for its{' '}
              {isPollingElement(created.elementKey) ? 'details' : 'events URL'}.
              {created.reconciled
                ? ' The answer to the request was lost, so the app looked the instance up by name: it exists once, no duplicate was made.'
                : ''}
            </p>
            {keychain === undefined ? null : (
              <>
                <KeychainOutcomeLine
                  outcome={keychain.cloudElements}
                  testId="create-keychain"
                  what="Cloud Elements secrets"
                />
                <KeychainOutcomeLine
                  outcome={keychain.freshdesk}
                  testId="create-freshdesk-keychain"
                  what={state.freshdesk.authKind === 'apiKey' ? 'Freshdesk API key' : 'Freshdesk password'}
                />
              </>
            )}
            <button type="button" className="link-button" onClick={actions.discardCreated}>
              <Pencil size={14} aria-hidden="true" />
              Create a different instance instead
            </button>
          </Notice>
        ) : null}

        {nextBlocked ? (
          <p className="field__error" data-testid="instance-next-error">
            {stepErrors(state, 'instance').create}
          </p>
        ) : null}
      </div>

      <details className="disclosure">
        <summary>
          <ChevronRight size={16} aria-hidden="true" className="disclosure__chevron" />
          What will be sent
        </summary>
        {check.ok && base.ok ? (
          <div className="disclosure__body">
            <p className="muted">
              <code>POST {base.value}/instances</code> with this body. Secrets are masked here; the real values are sent
              only in the request.
            </p>
            <pre className="code" data-testid="request-body" tabIndex={0}>
              {JSON.stringify(maskInstanceBody(check.body), null, 2)}
            </pre>
            <p className="muted">The same call with curl:</p>
            <pre className="code" data-testid="curl-preview" tabIndex={0}>
              {curlPreview(base.value, check.body)}
            </pre>
          </div>
        ) : (
          <p className="disclosure__body muted">
            The request appears here once every entry is filled in
            {check.ok
              ? ''
              : `: still missing or wrong: ${[...new Set(check.problems.map((p) => FIELD_LABEL[p.field] ?? p.field))].join(', ')}`}
            .
          </p>
        )}
      </details>
    </div>
  );
}

/** The account's Freshdesk instances, newest first: picking one makes it the current instance. */
function PickInstance({ state, actions }: StepProps) {
  const { list } = state;
  const picked = state.instance.picked;
  const base = resolveApiBase(state.connection);
  const host = base.ok ? hostOf(base.value) : 'this host';
  // The list loads by itself the first time the picker opens.
  const { listInstances } = actions;
  const idle = list.status === 'idle';
  useEffect(() => {
    if (idle) listInstances();
    // Once, when the picker opens with nothing loaded.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const busy = list.status === 'busy';
  const pickError = state.attempted.instance === true ? stepErrors(state, 'instance').pick : undefined;

  return (
    <div className="stack">
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={actions.listInstances} disabled={busy}>
          {busy ? (
            <Spinner label="Loading instances…" />
          ) : (
            <>
              <RefreshCw size={16} aria-hidden="true" />
              {list.status === 'idle' ? 'Load instances' : 'Refresh'}
            </>
          )}
        </button>
        {busy ? (
          <button type="button" className="button button--secondary" onClick={actions.cancelList}>
            <X size={16} aria-hidden="true" />
            Cancel
          </button>
        ) : null}
        <span className="muted" role={busy ? 'status' : undefined}>
          {busy
            ? `Asking Cloud Elements (${host}) for your instances…`
            : list.status === 'ok'
              ? `${list.instances.length} Freshdesk instance${list.instances.length === 1 ? '' : 's'} on ${hostOf(list.apiBase)}, listed at ${new Date(list.at).toLocaleTimeString()}.`
              : `Lists the freshdesk and freshdeskv2 instances of your account on ${host}.`}
        </span>
      </div>

      {list.status === 'error' ? (
        <FailureNotice
          title={list.error.kind === 'cancelled' ? 'Listing was cancelled' : 'The instances could not be listed'}
          error={list.error}
          testId="list-error"
        >
          {list.error.kind === 'credentials' || list.error.kind === 'invalid-input' ? (
            <button type="button" className="link-button" onClick={() => actions.goTo('connect')}>
              Edit Cloud Elements connection
            </button>
          ) : null}
        </FailureNotice>
      ) : null}

      {list.status === 'ok' && list.instances.length === 0 ? (
        <Notice tone="info" title="No Freshdesk instances yet" testId="instance-list-empty">
          <p>This account has no freshdesk or freshdeskv2 instance on {hostOf(list.apiBase)}.</p>
          <button type="button" className="link-button" onClick={() => actions.setInstance({ mode: 'create' })}>
            Create a new instance
          </button>
        </Notice>
      ) : null}

      {list.status === 'ok' && list.instances.length > 0 ? (
        <fieldset className="pick-list" data-testid="instance-list">
          <legend className="sr-only">Your Freshdesk instances</legend>
          {list.instances.map((summary) => (
            <InstanceOption
              key={summary.id}
              summary={summary}
              checked={picked?.summary.id === summary.id && picked.apiBase === list.apiBase}
              onPick={() => actions.pickInstance(summary)}
            />
          ))}
        </fieldset>
      ) : null}

      {picked !== undefined ? (
        <Notice tone="success" title={`Using instance ${picked.summary.id}`} testId="picked-instance">
          <p>
            “{picked.summary.name}” ({picked.summary.elementKey}) is the current instance. Press Next for its{' '}
            {isPollingElement(picked.summary.elementKey) ? 'details' : 'events URL'}.
          </p>
        </Notice>
      ) : null}
      {pickError !== undefined && picked === undefined ? (
        <p className="field__error" data-testid="instance-next-error">
          {pickError}
        </p>
      ) : null}
    </div>
  );
}

function InstanceOption({
  summary,
  checked,
  onPick,
}: {
  summary: InstanceSummary;
  checked: boolean;
  onPick: () => void;
}) {
  const id = `pick-${summary.id}`;
  const polling = isPollingElement(summary.elementKey);
  const created = summary.createdDate === undefined ? undefined : new Date(summary.createdDate);
  const when =
    created === undefined || Number.isNaN(created.getTime())
      ? 'creation date unknown'
      : `created ${created.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`;
  return (
    <div className={`pick${checked ? ' pick--on' : ''}`} data-testid={`instance-option-${summary.id}`}>
      <input id={id} type="radio" name="picked-instance" checked={checked} onChange={onPick} />
      <label htmlFor={id} className="pick__body">
        <span className="pick__name">{summary.name || '(no name)'}</span>
        <span className="pick__meta muted">
          ID <span className="mono">{summary.id}</span> · {summary.elementKey} ({polling ? 'polling' : 'webhook'}) ·{' '}
          {when}
        </span>
        {polling ? (
          <span className="pick__url muted">Events by polling: no events URL</span>
        ) : (
          <code className="pick__url mono">{summary.eventsUrl}</code>
        )}
      </label>
    </div>
  );
}

function ExistingInstance({ state, actions }: StepProps) {
  const { instance, serverErrors } = state;
  const found = extractInstanceId(instance.pasted);
  const typed = instance.pasted.trim() !== '';
  const error = !found.ok && (typed || state.attempted.instance === true) ? found.message : serverErrors.pasted;

  return (
    <div className="stack">
      <Field
        id="instance-id"
        label="Instance ID or pasted response"
        hint='The number from the "id" field, or paste the whole create-instance response: the ID is found in it.'
        error={error}
        after={
          found.ok ? (
            <p className="found" role="status" data-testid="instance-id-found">
              Found instance ID <strong className="mono">{found.value}</strong>
            </p>
          ) : null
        }
      >
        {(aria) => (
          <textarea
            {...aria}
            className="input mono textarea"
            rows={5}
            spellCheck={false}
            placeholder="20931"
            value={instance.pasted}
            onChange={(event) => actions.setInstance({ pasted: event.target.value })}
          />
        )}
      </Field>
      <fieldset className="choice choice--inline">
        <legend className="field__label">Its element</legend>
        {ELEMENTS.map((option) => (
          <label key={option.element} className="toggle toggle--plain">
            <input
              type="radio"
              name="typed-element"
              checked={instance.typedElement === option.element}
              onChange={() => actions.setInstance({ typedElement: option.element })}
            />
            {option.element === 'freshdesk' ? 'freshdesk (webhook)' : 'freshdeskv2 (polling)'}
          </label>
        ))}
      </fieldset>
      <p className="muted">Works offline: nothing is sent.</p>
    </div>
  );
}
