import { CircleCheck, Radar, Send, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { StepProps } from '../App';
import { chosenInstance, eventsUrlFor, instanceKey, pollingIntervalFor, watchLimitMs, WATCH_EVERY_MS } from '../state';
import { FailureNotice, Notice, Spinner } from '../ui';
import { minutes } from './EventsUrl';
import { NeverFires } from './FreshdeskWalkthrough';

/**
 * Proof that events arrive: a Freshdesk-style test event posted to the events
 * URL, and a watch of the instance's received events
 * (GET /instances/{id}/events) until a new one arrives or the time is up.
 */
export function Verify({ state, actions }: StepProps) {
  const instance = chosenInstance(state);
  const events = eventsUrlFor(state);
  const key = instanceKey(state);
  const verify = state.verify.key === key ? state.verify : undefined;
  const test = verify?.test ?? { status: 'idle' };
  const watch = verify?.watch ?? { status: 'idle' };
  const watching = watch.status === 'watching';
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!watching) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [watching]);

  if (!instance.ok) {
    return (
      <section className="step" data-testid="step-verify" aria-labelledby="verify-title">
        <h2 id="verify-title" tabIndex={-1}>
          Verify
        </h2>
        <Notice tone="error" title="No instance yet">
          <p>{instance.message}</p>
        </Notice>
      </section>
    );
  }
  const polling = instance.value.polling;
  const interval = pollingIntervalFor(state);
  const limitMs = watch.status === 'watching' ? watch.limitMs : watchLimitMs(state);

  return (
    <section className="step" data-testid="step-verify" aria-labelledby="verify-title">
      <h2 id="verify-title" tabIndex={-1}>
        Verify
      </h2>
      <p className="lead">
        {polling
          ? `Check that Cloud Elements picks up Freshdesk changes for instance ${instance.value.id}.`
          : `Check that events reach Cloud Elements for instance ${instance.value.id}: send a test event, and watch for it (or for a real ticket update) to arrive.`}
      </p>

      {polling ? (
        <Notice tone="info" title="Events arrive on the poll interval" testId="verify-polling">
          <p>
            {instance.value.elementKey} asks Freshdesk for changes{' '}
            {interval === undefined ? 'on the instance’s refresh interval' : `every ${minutes(interval)}`}, so an event
            shows up only after the next poll: watching may take that long. Change a ticket in Freshdesk (for example
            its status), then watch. The app watches for up to {minutes(limitMs / 60_000)}.
          </p>
        </Notice>
      ) : (
        <div className="verify-block">
          <h3 className="with-icon">
            <Send size={18} aria-hidden="true" className="accent" />
            Send a test event
          </h3>
          <p className="muted">
            Posts a Freshdesk-style ticket update (sample values, JSON) to the events URL, exactly where the rule posts.
          </p>
          {events.ok ? <code className="mono value">{events.value.url}</code> : null}
          <div className="actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={actions.sendTestEvent}
              disabled={test.status === 'busy' || !events.ok}
            >
              {test.status === 'busy' ? (
                <Spinner label="Sending…" />
              ) : (
                <>
                  <Send size={16} aria-hidden="true" />
                  Send a test event
                </>
              )}
            </button>
            {test.status === 'ok' ? (
              <span className="ok-line" role="status" data-testid="test-event-result">
                <CircleCheck size={16} aria-hidden="true" />
                Cloud Elements accepted the test event ({test.value.status}).
              </span>
            ) : null}
          </div>
          {test.status === 'error' ? (
            <FailureNotice title="The test event was not accepted" error={test.error} testId="test-event-error" />
          ) : null}
        </div>
      )}

      <div className="verify-block">
        <h3 className="with-icon">
          <Radar size={18} aria-hidden="true" className="accent" />
          Watch for events
        </h3>
        <p className="muted">
          Asks Cloud Elements every {WATCH_EVERY_MS / 1000} s for the events instance {instance.value.id} received, for
          up to {minutes(limitMs / 60_000)}, and stops as soon as a new one arrives.
        </p>
        <div className="actions">
          {watching ? (
            <button type="button" className="button button--secondary" onClick={actions.cancelWatch}>
              <X size={16} aria-hidden="true" />
              Cancel
            </button>
          ) : (
            <button type="button" className="button button--primary" onClick={actions.startWatch}>
              <Radar size={16} aria-hidden="true" />
              {watch.status === 'idle' ? 'Watch for events' : 'Watch again'}
            </button>
          )}
        </div>

        {watch.status === 'watching' ? (
          <WatchProgress
            elapsedMs={Math.max(0, now - watch.startedAt)}
            limitMs={watch.limitMs}
            checks={watch.checks}
            total={watch.total}
            failure={watch.failure}
          />
        ) : null}
        {watch.status === 'found' ? (
          <Notice tone="success" title="Events are flowing" testId="watch-result">
            <p>
              {watch.count === 1 ? 'A new event' : `${watch.count} new events`} arrived at Cloud Elements after{' '}
              {duration(watch.elapsedMs)}.
              {test.status === 'ok'
                ? ' That may be the test event: change a ticket in Freshdesk and watch again to see the rule itself fire.'
                : ''}
            </p>
          </Notice>
        ) : null}
        {watch.status === 'timed-out' ? (
          <>
            <Notice tone="warning" title={`No new event in ${duration(watch.limitMs)}`} testId="watch-result">
              <p>
                The app checked {watch.checks} times and Cloud Elements listed no new event for instance{' '}
                {instance.value.id}.{' '}
                {polling
                  ? 'With polling, make sure a ticket changed after the instance was created, that the API key in the instance is still valid, and that the interval has passed; then watch again.'
                  : 'Check these in Freshdesk, then watch again:'}
              </p>
            </Notice>
            {polling ? null : <NeverFires title="What to check" />}
          </>
        ) : null}
        {watch.status === 'cancelled' ? (
          <Notice tone="info" title="Stopped watching" testId="watch-result">
            <p>
              Stopped after {duration(watch.elapsedMs)} ({watch.checks} check{watch.checks === 1 ? '' : 's'}), before a
              new event arrived. Watch again when you are ready.
            </p>
          </Notice>
        ) : null}
        {watch.status === 'error' ? (
          <FailureNotice title="Watching stopped" error={watch.error} testId="watch-error">
            {watch.error.kind === 'credentials' || watch.error.kind === 'invalid-input' ? (
              <button type="button" className="link-button" onClick={() => actions.goTo('connect')}>
                Edit Cloud Elements connection
              </button>
            ) : null}
          </FailureNotice>
        ) : null}
      </div>

      {verify !== undefined && verify.seen > 0 ? null : (
        <p className="muted">
          You can go on without verifying: Done then says the setup is saved but not verified, and you can come back
          here.
        </p>
      )}
    </section>
  );
}

function WatchProgress({
  elapsedMs,
  limitMs,
  checks,
  total,
  failure,
}: {
  elapsedMs: number;
  limitMs: number;
  checks: number;
  total: number;
  failure: string | undefined;
}) {
  const shown = Math.min(elapsedMs, limitMs);
  return (
    <div className="watch" data-testid="watch-progress">
      <div
        className="watch__bar"
        role="progressbar"
        aria-label="Time watched"
        aria-valuemin={0}
        aria-valuemax={Math.round(limitMs / 1000)}
        aria-valuenow={Math.round(shown / 1000)}
        aria-valuetext={`${duration(shown)} of ${duration(limitMs)}`}
      >
        <div className="watch__fill" style={{ width: `${Math.max(2, (shown / limitMs) * 100)}%` }} />
      </div>
      <p className="with-icon" role="status">
        <Spinner label="" />
        <span>
          Watching: {duration(shown)} of {duration(limitMs)} · {checks} check{checks === 1 ? '' : 's'} · no new event
          yet ({total} listed in all)
        </span>
      </p>
      {failure === undefined ? null : (
        <p className="field__error" data-testid="watch-failure">
          <span>The last check failed, still trying: {failure}</span>
        </p>
      )}
    </div>
  );
}

/** "45 s", "2 min 5 s", "5 min". */
export function duration(ms: number): string {
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  if (m === 0) return `${s} s`;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}
