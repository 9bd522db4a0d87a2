import { ArrowRight, Building, History, KeyRound, Link, ShieldCheck } from 'lucide-react';
import { hostOf, type ApiBase } from '../../main/core/api-base.js';
import type { StepProps } from '../App';
import { apiBaseFor, chosenInstance, eventsUrlFor, STEPS, type FinishedSetup } from '../state';
import { CopyButton, useCopier, type Copier } from '../ui';

const NEEDS = [
  {
    icon: KeyRound,
    title: 'Cloud Elements secrets',
    text: 'Your user secret and organization secret (SAP Open Connectors works the same way).',
  },
  {
    icon: Building,
    title: 'Your Freshdesk account',
    text: 'The subdomain (acme in acme.freshdesk.com) and an API key, or a username and password.',
  },
  {
    icon: Link,
    title: "Your app's callback URL",
    text: 'The https address where Cloud Elements will POST the ticket events it receives.',
  },
] as const;

/** How many finished setups Welcome lists. */
const RECENT = 3;

export function Welcome({ state, actions }: StepProps) {
  const copier = useCopier();
  const events = eventsUrlFor(state);
  const recent = state.history.filter((setup) => !(events.ok && setup.eventsUrl === events.value.url)).slice(0, RECENT);

  return (
    <section className="step" data-testid="step-welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title" tabIndex={-1}>
        Send Freshdesk ticket events to your app
      </h2>
      <p className="lead">
        This assistant creates a Cloud Elements Freshdesk instance, builds its events URL (base64 and all), creates the
        Freshdesk rule that posts ticket updates to it (or guides you through it), and checks that events arrive. No
        curl, no encoding websites.
      </p>

      <ResumeBanner state={state} actions={actions} copier={copier} />

      {recent.length > 0 ? (
        <div className="recent" data-testid="recent-setups">
          <h3>Recent setups</h3>
          <ul className="recent__list">
            {recent.map((setup) => (
              <RecentSetup key={`${setup.finishedAt}:${setup.eventsUrl}`} setup={setup} copier={copier} />
            ))}
          </ul>
        </div>
      ) : null}

      <h3>What you need</h3>
      <ul className="needs">
        {NEEDS.map(({ icon: Icon, title, text }) => (
          <li key={title} className="needs__item">
            <span className="needs__icon" aria-hidden="true">
              <Icon size={20} />
            </span>
            <span>
              <strong>{title}</strong>
              <span className="needs__text">{text}</span>
            </span>
          </li>
        ))}
      </ul>

      <p className="muted with-icon">
        <ShieldCheck size={16} aria-hidden="true" />
        Already have an instance? On the Instance step you can pick it from your account&apos;s list, or type or paste
        its ID, instead of creating a new one.
      </p>
    </section>
  );
}

/**
 * For a returning user: the instance of the last run and its events URL, one
 * click from the clipboard, and the way back to the step they left.
 */
function ResumeBanner({ state, actions, copier }: StepProps & { copier: Copier }) {
  const instance = chosenInstance(state);
  const events = eventsUrlFor(state);
  const base = apiBaseFor(state);
  const resumable = state.resumeStep !== 'welcome';
  if (!events.ok && !resumable) return null;
  const stepNumber = STEPS.findIndex((step) => step.id === state.resumeStep) + 1;
  const stepTitle = STEPS[stepNumber - 1]?.title ?? '';

  let title: string;
  if (instance.ok && events.ok) {
    const name = instance.value.name ? ` (${instance.value.name})` : '';
    title = `Welcome back — instance ${instance.value.id}${name}${base.ok ? ` on ${hostOf(base.value)}` : ''}`;
  } else {
    title = `Welcome back — you stopped at “${stepTitle}”`;
  }

  return (
    <section className="resume" data-testid="resume-banner" aria-labelledby="resume-title">
      <p id="resume-title" className="resume__title">
        <History size={18} aria-hidden="true" className="resume__icon" />
        <span>{title}</span>
      </p>
      {events.ok ? (
        <code className="mono resume__url" data-testid="resume-events-url">
          {events.value.url}
        </code>
      ) : null}
      <div className="resume__actions">
        {events.ok ? (
          <CopyButton
            copier={copier}
            copyKey="resume-events-url"
            what="events URL"
            text={events.value.url}
            visibleLabel="Copy events URL"
            primary
          />
        ) : null}
        {resumable ? (
          <span className="resume__continue">
            <button type="button" className="button button--secondary" onClick={actions.resume}>
              Continue where you left off
              <ArrowRight size={16} aria-hidden="true" />
            </button>
            <span className="muted">
              Step {stepNumber}: {stepTitle}
            </span>
          </span>
        ) : null}
      </div>
    </section>
  );
}

function RecentSetup({ setup, copier }: { setup: FinishedSetup; copier: Copier }) {
  const finished = new Date(setup.finishedAt);
  const when = Number.isNaN(finished.getTime()) ? '' : finished.toLocaleDateString();
  const host = hostOrBase(setup.apiBase);
  return (
    <li className="recent__item">
      <div className="recent__head">
        <span className="recent__what">
          Instance <strong className="mono">{setup.instanceId}</strong>
          {setup.instanceName ? ` · ${setup.instanceName}` : ''}
          <span className="muted">
            {' '}
            · {host}
            {when ? ` · ${when}` : ''}
          </span>
        </span>
        <CopyButton
          copier={copier}
          copyKey={`recent-${setup.finishedAt.replace(/[^0-9a-z]/gi, '')}-${setup.instanceId}`}
          what={`the events URL of instance ${setup.instanceId}`}
          text={setup.eventsUrl}
          compact
        />
      </div>
      <code className="mono recent__url">{setup.eventsUrl}</code>
    </li>
  );
}

/** The host of a saved API base, for display; the text itself if it is not a URL. */
function hostOrBase(apiBase: string): string {
  try {
    return hostOf(apiBase as ApiBase);
  } catch {
    return apiBase;
  }
}
