import { BookOpenCheck, ExternalLink, ListChecks, Wand2 } from 'lucide-react';
import { useState } from 'react';
import { normalizeSubdomain } from '../../main/core/subdomain.js';
import { api } from '../api';
import type { StepProps } from '../App';
import { eventsUrlFor, ruleModeFor, type RuleMode } from '../state';
import { CopyButton, Notice, Spinner, useCopier } from '../ui';
import { itemKey, TROUBLESHOOTING, WALKTHROUGH, WALKTHROUGH_UIS, walkthroughValues } from '../walkthrough';
import { AutoRule } from './AutoRule';

type OpenState = { status: 'idle' } | { status: 'busy' } | { status: 'error'; message: string };

const RULE_MODES: readonly { mode: RuleMode; label: string; icon: typeof Wand2 }[] = [
  { mode: 'auto', label: 'Create the rule for me', icon: Wand2 },
  { mode: 'manual', label: 'Walk me through it', icon: BookOpenCheck },
];

/**
 * The Freshdesk side: a rule that runs on ticket updates and triggers a
 * webhook to the events URL, made through Freshdesk's API ("Create the rule
 * for me") or by hand with the illustrated walkthrough.
 */
export function FreshdeskWalkthrough({ state, actions }: StepProps) {
  const events = eventsUrlFor(state);
  const mode = ruleModeFor(state);

  if (!events.ok) {
    return (
      <section className="step" data-testid="step-walkthrough" aria-labelledby="walkthrough-title">
        <h2 id="walkthrough-title" tabIndex={-1}>
          Freshdesk webhook
        </h2>
        <Notice tone="info" title="No Freshdesk rule for this instance">
          <p>{events.message}</p>
        </Notice>
      </section>
    );
  }

  return (
    <section className="step" data-testid="step-walkthrough" aria-labelledby="walkthrough-title">
      <h2 id="walkthrough-title" tabIndex={-1}>
        Freshdesk webhook
      </h2>
      <p className="lead">
        Freshdesk needs a rule that runs on ticket updates and triggers a webhook (POST, encoding JSON) to the events
        URL. Let the app create it through Freshdesk&apos;s API, or follow the walkthrough in Freshdesk&apos;s admin
        pages.
      </p>

      <fieldset className="segmented" data-testid="rule-mode">
        <legend className="sr-only">How to make the Freshdesk rule</legend>
        {RULE_MODES.map(({ mode: option, label, icon: Icon }) => (
          <label key={option} className={`segmented__option${mode === option ? ' segmented__option--on' : ''}`}>
            <input
              type="radio"
              name="rule-mode"
              value={option}
              checked={mode === option}
              onChange={() => actions.setRule({ mode: option })}
            />
            <Icon size={16} aria-hidden="true" />
            {label}
          </label>
        ))}
      </fieldset>

      {mode === 'auto' ? (
        <AutoRule state={state} actions={actions} eventsUrl={events.value.url} instanceId={events.value.instanceId} />
      ) : (
        <ManualWalkthrough
          state={state}
          actions={actions}
          eventsUrl={events.value.url}
          instanceId={events.value.instanceId}
        />
      )}
    </section>
  );
}

function ManualWalkthrough({
  state,
  actions,
  eventsUrl,
  instanceId,
}: StepProps & { eventsUrl: string; instanceId: string }) {
  const copier = useCopier();
  const [open, setOpen] = useState<OpenState>({ status: 'idle' });
  const { ui, done } = state.walkthrough;
  const variant = WALKTHROUGH[ui];
  const subdomain = normalizeSubdomain(state.freshdesk.subdomain);
  const values = walkthroughValues(instanceId, eventsUrl);
  const keys = variant.screens.flatMap((screen) => screen.items.map((item) => itemKey(ui, screen, item)));
  const ticked = keys.filter((key) => done[key] === true).length;

  const openAdmin = async () => {
    if (!subdomain.ok) {
      setOpen({ status: 'error', message: subdomain.message });
      return;
    }
    setOpen({ status: 'busy' });
    const result = await api.openExternal({ url: `https://${subdomain.value}.freshdesk.com/a/admin` });
    setOpen(result.ok ? { status: 'idle' } : { status: 'error', message: result.error.message });
  };

  return (
    <div className="stack" data-testid="manual-walkthrough">
      <p className="muted">Tick each step as you go: your progress is saved.</p>
      <div className="walk-toolbar">
        <fieldset className="segmented segmented--wide">
          <legend className="sr-only">Freshdesk admin UI</legend>
          {WALKTHROUGH_UIS.map((option) => (
            <label key={option} className={`segmented__option${ui === option ? ' segmented__option--on' : ''}`}>
              <input
                type="radio"
                name="walkthrough-ui"
                value={option}
                checked={ui === option}
                onChange={() => actions.setWalkthrough({ ui: option })}
              />
              {WALKTHROUGH[option].label}
            </label>
          ))}
        </fieldset>
      </div>

      <div className="actions">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void openAdmin()}
          disabled={open.status === 'busy'}
        >
          {open.status === 'busy' ? (
            <Spinner label="Opening…" />
          ) : (
            <>
              <ExternalLink size={16} aria-hidden="true" />
              Open Freshdesk admin
            </>
          )}
        </button>
        <span className="muted with-icon" data-testid="walkthrough-progress">
          <ListChecks size={16} aria-hidden="true" />
          {ticked} of {keys.length} steps done
        </span>
      </div>
      {open.status === 'error' ? (
        <Notice tone="error" title="Freshdesk admin could not be opened" testId="open-admin-error">
          <p>{open.message}</p>
        </Notice>
      ) : null}

      <ol className="screens">
        {variant.screens.map((screen, screenIndex) => (
          <li key={`${ui}:${screen.id}`} className="screen">
            <h3 className="screen__title">
              <span className="screen__number">{screenIndex + 1}</span>
              {screen.title}
            </h3>
            <ol className="checklist">
              {screen.items.map((item, itemIndex) => {
                const key = itemKey(ui, screen, item);
                const inputId = `walk-${key.replace(/[^a-z0-9-]/gi, '-')}`;
                const value = item.value === undefined ? undefined : values[item.value];
                return (
                  <li key={key} className={`checklist__item${done[key] === true ? ' checklist__item--done' : ''}`}>
                    <input
                      id={inputId}
                      type="checkbox"
                      checked={done[key] === true}
                      onChange={(event) => actions.setWalkthrough({ done: { ...done, [key]: event.target.checked } })}
                    />
                    <span className="callout" aria-hidden="true">
                      {itemIndex + 1}
                    </span>
                    <div className="checklist__text">
                      <label htmlFor={inputId}>{item.text}</label>
                      {item.detail === undefined ? null : <p className="muted">{item.detail}</p>}
                      {value === undefined ? null : (
                        <div className={`walk-value${value.text.includes('\n') ? ' walk-value--block' : ''}`}>
                          {value.text.includes('\n') ? (
                            <pre className="mono walk-value__block">{value.text}</pre>
                          ) : (
                            <code className="mono">{value.text}</code>
                          )}
                          <CopyButton
                            copier={copier}
                            copyKey={`walk-${item.value ?? ''}`}
                            what={value.what}
                            text={value.text}
                            compact
                          />
                        </div>
                      )}
                    </div>
                  </li>
                );
              })}
            </ol>
            <figure className="drawing">
              <img src={screen.drawing} alt={screen.alt} />
            </figure>
          </li>
        ))}
      </ol>

      <NeverFires />
    </div>
  );
}

/** The "Webhook never fires?" checklist: on the webhook step, and on Verify when no event came. */
export function NeverFires({ title = 'Webhook never fires?' }: { title?: string }) {
  return (
    <Notice tone="info" title={title} testId="never-fires">
      <ul className="problems">
        {TROUBLESHOOTING.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </Notice>
  );
}
