import type { StepProps } from '../App';
import { eventsUrlFor } from '../state';
import { Notice, useCopier, ValueRow } from '../ui';

export function EventsUrl({ state }: StepProps) {
  const copier = useCopier();
  const events = eventsUrlFor(state);

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
