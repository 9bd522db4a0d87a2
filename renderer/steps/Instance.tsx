import { ChevronRight, CirclePlus, Hash, Pencil } from 'lucide-react';
import { extractInstanceId } from '../../main/core/instance-id.js';
import { curlPreview, maskInstanceBody } from '../../main/core/instance-request.js';
import type { StepProps } from '../App';
import { KeychainOutcomeLine } from '../keychain';
import {
  checkInstanceRequest,
  FIELD_LABEL,
  FIELD_STEP,
  instanceName,
  resolveApiBase,
  stepErrors,
  type InstanceMode,
} from '../state';
import { Field, Notice, Spinner, useRevealOnChange } from '../ui';

const MODES: readonly { mode: InstanceMode; label: string }[] = [
  { mode: 'create', label: 'Create a new instance' },
  { mode: 'existing', label: 'I already have an instance ID' },
];

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

      <fieldset className="segmented">
        <legend className="sr-only">Instance</legend>
        {MODES.map((option) => (
          <label
            key={option.mode}
            className={`segmented__option${instance.mode === option.mode ? ' segmented__option--on' : ''}`}
          >
            <input
              type="radio"
              name="instance-mode"
              value={option.mode}
              checked={instance.mode === option.mode}
              onChange={() => actions.setInstance({ mode: option.mode })}
            />
            {option.mode === 'create' ? (
              <CirclePlus size={16} aria-hidden="true" />
            ) : (
              <Hash size={16} aria-hidden="true" />
            )}
            {option.label}
          </label>
        ))}
      </fieldset>

      {instance.mode === 'create' ? (
        <CreateInstance state={state} actions={actions} />
      ) : (
        <ExistingInstance state={state} actions={actions} />
      )}
    </section>
  );
}

function CreateInstance({ state, actions }: StepProps) {
  const { instance, create, serverErrors } = state;
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
  // The form is complete but nothing was created yet: say why Next does not go on.
  const resultRef = useRevealOnChange<HTMLDivElement>(create.status);
  const nextBlocked =
    attempted && check.ok && create.status === 'idle' && stepErrors(state, 'instance').create !== undefined;

  return (
    <div className="stack">
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
                readOnly={created !== undefined}
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
                readOnly={created !== undefined}
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
              readOnly={created !== undefined}
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
                  <strong>{FIELD_LABEL[field] ?? field}:</strong> {message}{' '}
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
          <span className="muted">{busy ? 'Waiting for Cloud Elements…' : 'Nothing is sent before you press it.'}</span>
        </div>
      ) : null}

      <div ref={resultRef} className="stack">
        {create.status === 'error' ? (
          <Notice tone="error" title="The instance was not created" testId="create-error">
            <p>{create.error.message}</p>
            {create.error.problems !== undefined && create.error.problems.length > 0 ? (
              <ul className="problems">
                {create.error.problems.map((problem) => (
                  <li key={`${problem.field}:${problem.message}`}>{problem.message}</li>
                ))}
              </ul>
            ) : null}
            {create.error.kind === 'credentials' ? (
              <button type="button" className="link-button" onClick={() => actions.goTo('connect')}>
                Check the Cloud Elements secrets
              </button>
            ) : null}
          </Notice>
        ) : null}

        {created !== undefined ? (
          <Notice tone="success" title={`Instance ${created.id} created`} testId="create-result">
            <p>
              “{created.name}” is ready{keychain === undefined ? ' (from your last session)' : ''}. Press Next for its
              events URL.
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
              : `: still missing or wrong: ${check.problems.map((p) => FIELD_LABEL[p.field] ?? p.field).join(', ')}`}
            .
          </p>
        )}
      </details>
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
      <p className="muted">Works offline: nothing is sent.</p>
    </div>
  );
}
