import { ClipboardCopy, PartyPopper, RotateCcw } from 'lucide-react';
import type { StepProps } from '../App';
import { apiBaseFor, chosenInstance, eventsUrlFor } from '../state';
import { CopyButton, Notice, useCopier } from '../ui';

/** The summary holds only public values: never a secret, a token or an API key. */
export function summaryRows(state: StepProps['state']): { label: string; value: string; testId: string }[] {
  const instance = chosenInstance(state);
  const events = eventsUrlFor(state);
  const base = apiBaseFor(state);
  const rows: { label: string; value: string; testId: string }[] = [];
  if (instance.ok) {
    rows.push({ label: 'Instance ID', value: instance.value.id, testId: 'summary-instance-id' });
    if (instance.value.name !== undefined) {
      rows.push({ label: 'Instance name', value: instance.value.name, testId: 'summary-name' });
    }
  }
  if (events.ok) {
    rows.push({ label: 'Encoded ID', value: events.value.encodedId, testId: 'summary-encoded-id' });
    rows.push({ label: 'Events URL', value: events.value.url, testId: 'summary-events-url' });
  }
  if (instance.ok && instance.value.callbackUrl !== undefined) {
    rows.push({ label: 'Callback URL', value: instance.value.callbackUrl, testId: 'summary-callback-url' });
  }
  if (base.ok) rows.push({ label: 'API base', value: base.value, testId: 'summary-api-base' });
  return rows;
}

export function Done({ state, actions }: StepProps) {
  const copier = useCopier();
  const rows = summaryRows(state);
  const text = ['Freshdesk events setup', ...rows.map((row) => `${row.label}: ${row.value}`)].join('\n') + '\n';

  return (
    <section className="step" data-testid="step-done" aria-labelledby="done-title">
      <h2 id="done-title" tabIndex={-1} className="with-icon">
        <PartyPopper size={24} aria-hidden="true" className="accent" />
        Freshdesk events are set up
      </h2>
      <p className="lead">
        When a ticket changes, Freshdesk posts to the events URL and Cloud Elements forwards the event to your callback
        URL.
      </p>

      <dl className="summary" data-testid="summary">
        {rows.map((row) => (
          <div key={row.testId} className="summary__row">
            <dt>{row.label}</dt>
            <dd className="mono" data-testid={row.testId}>
              {row.value}
            </dd>
          </div>
        ))}
      </dl>
      {rows.length === 0 ? (
        <Notice tone="warning">
          <p>Nothing to summarize yet: go back and choose an instance.</p>
        </Notice>
      ) : null}

      <div className="actions">
        <CopyButton copier={copier} copyKey="summary" what="summary" text={text} visibleLabel="Copy summary" />
        <button type="button" className="button button--ghost" onClick={actions.setUpAnother}>
          <RotateCcw size={16} aria-hidden="true" />
          Set up another
        </button>
      </div>
      <p className="muted with-icon">
        <ClipboardCopy size={16} aria-hidden="true" />
        The summary has no secrets in it: keep it with your integration notes.
      </p>
    </section>
  );
}
