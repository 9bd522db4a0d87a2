import { ArrowLeft, ArrowRight, Check, Webhook } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from './api';
import {
  checkInstanceRequest,
  connectionErrors,
  formField,
  INITIAL_STATE,
  instanceAnswers,
  resetForAnother,
  resolveApiBase,
  stepErrors,
  stepIndex,
  STEPS,
  type ConnectionAnswers,
  type FreshdeskAnswers,
  type InstanceForm,
  type StepId,
  type WalkthroughState,
  type WizardState,
} from './state';
import { ConnectCloudElements } from './steps/ConnectCloudElements';
import { Done } from './steps/Done';
import { EventsUrl } from './steps/EventsUrl';
import { FreshdeskAccount } from './steps/FreshdeskAccount';
import { FreshdeskWalkthrough } from './steps/FreshdeskWalkthrough';
import { Instance } from './steps/Instance';
import { Welcome } from './steps/Welcome';

/** What the steps may do to the wizard's state: every change goes through App. */
export interface WizardActions {
  setConnection: (patch: Partial<ConnectionAnswers>) => void;
  setFreshdesk: (patch: Partial<FreshdeskAnswers>) => void;
  setInstance: (patch: Partial<InstanceForm>) => void;
  setWalkthrough: (patch: Partial<WalkthroughState>) => void;
  testConnection: () => void;
  createInstance: () => void;
  /** Forget the created instance (after a success) so that a different one can be created. */
  discardCreated: () => void;
  goTo: (step: StepId) => void;
  next: () => void;
  setUpAnother: () => void;
}

export interface StepProps {
  state: WizardState;
  actions: WizardActions;
}

/** Drops the server's errors for the fields that were just edited. */
function withoutErrors(state: WizardState, fields: readonly string[]): WizardState['serverErrors'] {
  if (!fields.some((field) => field in state.serverErrors)) return state.serverErrors;
  return Object.fromEntries(Object.entries(state.serverErrors).filter(([field]) => !fields.includes(field)));
}

const CONNECTION_FIELDS: Record<keyof ConnectionAnswers, string> = {
  environment: 'host',
  customHost: 'host',
  userSecret: 'userSecret',
  orgSecret: 'orgSecret',
};

function focusFirstInvalid(): void {
  // After React has rendered the errors.
  requestAnimationFrame(() => {
    const invalid = document.querySelector<HTMLElement>('.step [aria-invalid="true"], .step [data-focus-on-error]');
    invalid?.focus();
  });
}

export function App() {
  const [state, setState] = useState<WizardState>(INITIAL_STATE);
  // Guards against double clicks: set before the first await, so a second click in the same frame makes no call.
  const testing = useRef(false);
  const creating = useRef(false);
  // Bumped whenever the connection answers change, so a late test result for old answers is dropped.
  const connectionVersion = useRef(0);
  const firstRender = useRef(true);

  // Move focus to the new step's heading, so keyboard and screen-reader users start at the top.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.querySelector<HTMLElement>('.step h2')?.focus();
    document.querySelector('.main__scroll')?.scrollTo({ top: 0 });
  }, [state.step]);

  const actions: WizardActions = {
    setConnection: (patch) => {
      connectionVersion.current += 1;
      const fields = Object.keys(patch).map((key) => CONNECTION_FIELDS[key as keyof ConnectionAnswers]);
      setState((s) => ({
        ...s,
        connection: { ...s.connection, ...patch },
        test: s.test.status === 'busy' ? s.test : { status: 'idle' },
        serverErrors: withoutErrors(s, fields),
      }));
    },
    setFreshdesk: (patch) =>
      setState((s) => ({
        ...s,
        freshdesk: { ...s.freshdesk, ...patch },
        serverErrors: withoutErrors(s, Object.keys(patch)),
      })),
    setInstance: (patch) =>
      setState((s) => ({
        ...s,
        instance: { ...s.instance, ...patch },
        serverErrors: withoutErrors(s, Object.keys(patch)),
      })),
    setWalkthrough: (patch) => setState((s) => ({ ...s, walkthrough: { ...s.walkthrough, ...patch } })),

    testConnection: () => {
      if (testing.current) return;
      const errors = connectionErrors(state.connection);
      const base = resolveApiBase(state.connection);
      if (Object.keys(errors).length > 0 || !base.ok) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, connect: true } }));
        focusFirstInvalid();
        return;
      }
      testing.current = true;
      const version = connectionVersion.current;
      setState((s) => ({ ...s, test: { status: 'busy' } }));
      void api
        .testConnection({
          apiBase: base.value,
          userSecret: state.connection.userSecret,
          orgSecret: state.connection.orgSecret,
        })
        .then((result) => {
          testing.current = false;
          setState((s) => {
            if (version !== connectionVersion.current) return { ...s, test: { status: 'idle' } };
            return {
              ...s,
              test: result.ok ? { status: 'ok', report: result.value } : { status: 'error', error: result.error },
            };
          });
        });
    },

    createInstance: () => {
      if (creating.current || state.create.status === 'created') return;
      const base = resolveApiBase(state.connection);
      const check = checkInstanceRequest(state);
      if (!base.ok || !check.ok) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, instance: true } }));
        focusFirstInvalid();
        return;
      }
      creating.current = true;
      const answers = instanceAnswers(state);
      setState((s) => ({
        ...s,
        attempted: { ...s.attempted, instance: true },
        create: { status: 'busy' },
        serverErrors: {},
      }));
      void api
        .createInstance({
          target: {
            apiBase: base.value,
            userSecret: state.connection.userSecret,
            orgSecret: state.connection.orgSecret,
          },
          answers: { ...answers, tags: [...answers.tags] },
        })
        .then((result) => {
          creating.current = false;
          if (result.ok) {
            setState((s) => ({ ...s, create: { status: 'created', instance: result.value, apiBase: base.value } }));
            return;
          }
          const serverErrors: Record<string, string> = {};
          for (const problem of result.error.problems ?? []) {
            const field = formField(problem.field);
            if (field !== undefined && !(field in serverErrors)) serverErrors[field] = problem.message;
          }
          if (result.error.field !== undefined) {
            const field = formField(result.error.field);
            if (field !== undefined && !(field in serverErrors)) serverErrors[field] = result.error.message;
          }
          setState((s) => ({ ...s, create: { status: 'error', error: result.error }, serverErrors }));
        });
    },

    discardCreated: () => setState((s) => ({ ...s, create: { status: 'idle' } })),

    goTo: (step) => {
      if (stepIndex(step) <= stepIndex(state.step)) setState((s) => ({ ...s, step }));
    },

    next: () => {
      const errors = stepErrors(state, state.step);
      if (Object.keys(errors).length > 0) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, [s.step]: true } }));
        focusFirstInvalid();
        return;
      }
      const following = STEPS[stepIndex(state.step) + 1];
      if (following !== undefined) setState((s) => ({ ...s, step: following.id }));
    },

    setUpAnother: () => {
      connectionVersion.current += 1;
      setState((s) => resetForAnother(s));
    },
  };

  const index = stepIndex(state.step);
  const back = () => {
    const previous = STEPS[index - 1];
    if (previous !== undefined) setState((s) => ({ ...s, step: previous.id }));
  };

  let body: ReactNode;
  switch (state.step) {
    case 'welcome':
      body = <Welcome />;
      break;
    case 'connect':
      body = <ConnectCloudElements state={state} actions={actions} />;
      break;
    case 'freshdesk':
      body = <FreshdeskAccount state={state} actions={actions} />;
      break;
    case 'instance':
      body = <Instance state={state} actions={actions} />;
      break;
    case 'events-url':
      body = <EventsUrl state={state} actions={actions} />;
      break;
    case 'walkthrough':
      body = <FreshdeskWalkthrough state={state} actions={actions} />;
      break;
    case 'done':
      body = <Done state={state} actions={actions} />;
      break;
  }

  const busy = state.test.status === 'busy' || state.create.status === 'busy';

  return (
    <div className="app" data-app-state="ready">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            <Webhook size={20} />
          </span>
          <span className="brand__text">
            <span className="brand__name">Freshdesk Events</span>
            <span className="brand__sub">Setup Assistant</span>
          </span>
        </div>
        <nav aria-label="Setup steps">
          <ol className="steps">
            {STEPS.map((step, i) => {
              const status = i < index ? 'done' : i === index ? 'current' : 'todo';
              const content = (
                <>
                  <span className="steps__dot" aria-hidden="true">
                    {status === 'done' ? <Check size={13} strokeWidth={3} /> : i + 1}
                  </span>
                  <span className="steps__title">{step.title}</span>
                </>
              );
              return (
                <li key={step.id} className={`steps__item steps__item--${status}`}>
                  {status === 'done' ? (
                    <button type="button" className="steps__link" onClick={() => actions.goTo(step.id)} disabled={busy}>
                      {content}
                    </button>
                  ) : (
                    <span className="steps__link" aria-current={status === 'current' ? 'step' : undefined}>
                      {content}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
        </nav>
        <p className="sidebar__note">
          Secrets stay in their own fields for this run only and never appear in a summary.
        </p>
      </aside>

      <main className="main">
        <div className="main__scroll">{body}</div>
        <footer className="main__footer">
          <div>
            {index > 0 ? (
              <button type="button" className="button button--ghost" onClick={back} disabled={busy}>
                <ArrowLeft size={16} aria-hidden="true" />
                Back
              </button>
            ) : null}
          </div>
          <span className="main__progress">
            Step {index + 1} of {STEPS.length}
          </span>
          <div>
            {state.step === 'welcome' ? (
              <button type="button" className="button button--primary" onClick={actions.next}>
                Start
                <ArrowRight size={16} aria-hidden="true" />
              </button>
            ) : state.step === 'done' ? null : (
              <button type="button" className="button button--primary" onClick={actions.next} disabled={busy}>
                Next
                <ArrowRight size={16} aria-hidden="true" />
              </button>
            )}
          </div>
        </footer>
      </main>
    </div>
  );
}
