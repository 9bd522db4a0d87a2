import { RefreshCw } from 'lucide-react';
import type { StepProps } from '../App';
import { chosenInstance, eventsUrlFor, pollingIntervalFor } from '../state';
import { Notice, useCopier, ValueRow } from '../ui';

export function EventsUrl({ state }: StepProps) {
  const copier = useCopier();
  const instance = chosenInstance(state);
  const events = eventsUrlFor(state);

  if (instance.ok && instance.value.polling) {
    const interval = pollingIntervalFor(state);
    return (
      <section className="step" data-testid="step-events-url" aria-labelledby="events-url-title">
        <h2 id="events-url-title" tabIndex={-1}>
          Events URL
        </h2>
        <p className="lead">Instance {instance.value.id} gets its events by polling: there is no events URL.</p>
        <Notice tone="info" title="No events URL: events by polling" testId="events-by-polling">
          <p>
            <code>{instance.value.elementKey}</code> does not wait for Freshdesk to call it. Cloud Elements asks
            Freshdesk for changed tickets{' '}
            {interval === undefined ? 'on the interval set for the instance' : `every ${minutes(interval)}`} and posts
            each change to your callback URL.
          </p>
          <p data-testid="webhook-step-skipped">
            So nothing needs to be set up in Freshdesk: the Freshdesk webhook step is skipped. Next comes Verify, where
            you can watch for the first events.
          </p>
        </Notice>
        <div className="values">
          <ValueRow
            label="Instance ID"
            value={instance.value.id}
            copier={copier}
            copyKey="instance-id"
            what="instance ID"
            testId="value-instance-id"
          />
        </div>
        <p className="muted with-icon">
          <RefreshCw size={16} aria-hidden="true" />
          Events arrive on the poll interval, so the first one can take that long after a ticket changes.
        </p>
      </section>
    );
  }

  return (
    <section className="step" data-testid="step-events-url" aria-labelledby="events-url-title">
      <h2 id="events-url-title" tabIndex={-1}>
        Events URL
      </h2>
      <p className="lead">
        The encoded ID is the instance ID in base64 (padding kept, no newline). The events URL below is what you paste
        into the Freshdesk rule on the next step.
      </p>

      {events.ok ? (
        <div className="values">
          <ValueRow
            label="Instance ID"
            value={events.value.instanceId}
            copier={copier}
            copyKey="instance-id"
            what="instance ID"
            testId="value-instance-id"
          />
          <ValueRow
            label="Encoded ID (base64)"
            value={events.value.encodedId}
            copier={copier}
            copyKey="encoded-id"
            what="encoded ID"
            testId="value-encoded-id"
          />
          <ValueRow
            label="Events URL"
            value={events.value.url}
            copier={copier}
            copyKey="events-url"
            what="events URL"
            testId="value-events-url"
          />
        </div>
      ) : (
        <Notice tone="error" title="No events URL yet">
          <p>{events.message}</p>
        </Notice>
      )}
    </section>
  );
}

export function minutes(count: number): string {
  if (count % 60 === 0 && count >= 60) return count === 60 ? 'hour' : `${count / 60} hours`;
  return count === 1 ? 'minute' : `${count} minutes`;
}
