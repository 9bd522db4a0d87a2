import { ArrowLeft, ArrowRight, Check, LoaderCircle, Webhook } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiFailure } from '../main/ipc/contract.js';
import { api } from './api';
import {
  checkInstanceRequest,
  cloudElementsTarget,
  connectionErrors,
  createRequest,
  finishedSetup,
  formField,
  progressPatch,
  resetForAnother,
  resolveApiBase,
  stateFromSession,
  stepErrors,
  stepIndex,
  STEPS,
  subdomainKey,
  withStep,
  INITIAL_STATE,
  environmentChoice,
  type ConnectionAnswers,
  type FreshdeskAnswers,
  type InstanceForm,
  type SettingsPatch,
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
import { Notice } from './ui';

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
  /** Removes the Cloud Elements secrets saved for the chosen host; resolves to the failure, if any. */
  forgetCloudElements: () => Promise<ApiFailure | undefined>;
  /** Removes the Freshdesk credentials saved for the subdomain. */
  forgetFreshdesk: () => Promise<ApiFailure | undefined>;
  goTo: (step: StepId) => void;
  /** Opens the step the user left off on (from Welcome). */
  resume: () => void;
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

/** The form fields each connection answer feeds (their server errors are dropped when it changes). */
const CONNECTION_FIELDS: Record<keyof ConnectionAnswers, readonly string[]> = {
  environment: ['host'],
  customHost: ['host'],
  userSecret: ['userSecret'],
  orgSecret: ['orgSecret'],
  remember: [],
  useSaved: ['userSecret', 'orgSecret'],
};

const FRESHDESK_FIELDS: Record<keyof FreshdeskAnswers, readonly string[]> = {
  subdomain: ['subdomain'],
  authKind: ['apiKey', 'username', 'password'],
  apiKey: ['apiKey'],
  username: ['username'],
  password: ['password'],
  remember: [],
  useSaved: ['apiKey', 'username', 'password'],
};

function focusFirstInvalid(): void {
  // After React has rendered the errors.
  requestAnimationFrame(() => {
    const invalid = document.querySelector<HTMLElement>('.step [aria-invalid="true"], .step [data-focus-on-error]');
    invalid?.focus();
  });
}

type Boot = { status: 'loading' } | { status: 'ready'; initial: WizardState };

/**
 * Loads the saved progress first (main answers from its settings file and the
 * keychain), then shows the wizard as the last run left it. If the session
 * cannot be loaded the wizard starts fresh and says so.
 */
export function App() {
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    void api.loadSession({}).then((result) => {
      if (!live) return;
      const initial = result.ok
        ? stateFromSession(result.value)
        : { ...INITIAL_STATE, notice: `Your saved progress could not be loaded: ${result.error.message}` };
      setBoot({ status: 'ready', initial });
    });
    return () => {
      live = false;
    };
  }, []);

  if (boot.status === 'loading') {
    return (
      <div className="app app--loading" data-app-state="loading">
        <p className="loading muted" role="status">
          <LoaderCircle size={18} aria-hidden="true" className="spin" />
          Loading your saved progress…
        </p>
      </div>
    );
  }
  return <Wizard initial={boot.initial} />;
}

/** How long typing may pause before the progress is saved; a step change saves at once. */
const SAVE_DELAY_MS = 300;

function Wizard({ initial }: { initial: WizardState }) {
  const [state, setState] = useState<WizardState>(initial);
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

  // ------------------------------------------------------------ saving progress (never a secret)
  const patchKey = JSON.stringify(progressPatch(state));
  const lastSaved = useRef<{ key: string; step: string | undefined }>({
    key: JSON.stringify(progressPatch(initial)),
    step: initial.resumeStep,
  });
  const pendingSave = useRef<(() => void) | undefined>(undefined);
  useEffect(() => {
    if (patchKey === lastSaved.current.key) return;
    const patch = JSON.parse(patchKey) as SettingsPatch;
    const save = () => {
      pendingSave.current = undefined;
      lastSaved.current = { key: patchKey, step: patch.currentStep };
      // Fire and forget: saving progress never holds up the wizard.
      void api.saveProgress(patch);
    };
    if (patch.currentStep !== lastSaved.current.step) {
      save();
      return;
    }
    pendingSave.current = save;
    const timer = window.setTimeout(save, SAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [patchKey]);
  useEffect(() => {
    // A change still waiting for its debounce is saved when the window goes away.
    const flush = () => pendingSave.current?.();
    window.addEventListener('pagehide', flush);
    return () => window.removeEventListener('pagehide', flush);
  }, []);

  // ------------------------------------------------------------ which secrets the keychain holds
  const base = resolveApiBase(state.connection);
  const baseKey = base.ok ? base.value : '';
  const subKey = subdomainKey(state.freshdesk);
  useEffect(() => {
    if (baseKey === '') return;
    let live = true;
    const timer = window.setTimeout(() => {
      void api.savedSecrets({ apiBase: baseKey, subdomain: '' }).then((result) => {
        if (!live || !result.ok) return;
        const { cloudElements, keychain } = result.value;
        setState((s) => ({ ...s, keychain, savedCloudElements: { key: baseKey, saved: cloudElements } }));
      });
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [baseKey]);
  useEffect(() => {
    if (subKey === '') return;
    let live = true;
    const timer = window.setTimeout(() => {
      void api.savedSecrets({ apiBase: '', subdomain: subKey }).then((result) => {
        if (!live || !result.ok) return;
        const { freshdesk, keychain } = result.value;
        setState((s) => ({ ...s, keychain, savedFreshdesk: { key: subKey, saved: freshdesk } }));
      });
    }, 150);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [subKey]);

  // ------------------------------------------------------------ Done: recorded once per instance
  const finished = state.step === 'done' ? finishedSetup(state) : undefined;
  const alreadyRecorded =
    finished !== undefined &&
    state.history[0]?.eventsUrl === finished.eventsUrl &&
    state.history[0].instanceId === finished.instanceId;
  const finishedKey = finished !== undefined && !alreadyRecorded ? JSON.stringify(finished) : '';
  const recorded = useRef(new Set<string>());
  useEffect(() => {
    if (finishedKey === '' || recorded.current.has(finishedKey)) return;
    recorded.current.add(finishedKey);
    const setup = JSON.parse(finishedKey) as NonNullable<ReturnType<typeof finishedSetup>>;
    void api.recordFinishedSetup(setup).then((result) => {
      if (!result.ok) return;
      const entry = { ...setup, finishedAt: new Date().toISOString() };
      setState((s) => ({ ...s, history: [entry, ...s.history].slice(0, 100) }));
    });
  }, [finishedKey]);

  const actions: WizardActions = {
    setConnection: (patch) => {
      const keys = Object.keys(patch) as (keyof ConnectionAnswers)[];
      const answersChanged = keys.some((key) => key !== 'remember');
      if (answersChanged) connectionVersion.current += 1;
      const hostChanged = keys.includes('environment') || keys.includes('customHost');
      setState((s) => ({
        ...s,
        connection: { ...s.connection, ...(hostChanged ? { useSaved: false } : {}), ...patch },
        test: s.test.status === 'busy' || !answersChanged ? s.test : { status: 'idle' },
        serverErrors: withoutErrors(
          s,
          keys.flatMap((key) => CONNECTION_FIELDS[key]),
        ),
      }));
    },
    setFreshdesk: (patch) => {
      const keys = Object.keys(patch) as (keyof FreshdeskAnswers)[];
      setState((s) => ({
        ...s,
        freshdesk: { ...s.freshdesk, ...(keys.includes('subdomain') ? { useSaved: false } : {}), ...patch },
        serverErrors: withoutErrors(
          s,
          keys.flatMap((key) => FRESHDESK_FIELDS[key]),
        ),
      }));
    },
    setInstance: (patch) =>
      setState((s) => ({
        ...s,
        instance: { ...s.instance, ...patch },
        serverErrors: withoutErrors(s, Object.keys(patch)),
      })),
    setWalkthrough: (patch) => setState((s) => ({ ...s, walkthrough: { ...s.walkthrough, ...patch } })),

    testConnection: () => {
      if (testing.current) return;
      const errors = connectionErrors(state);
      if (Object.keys(errors).length > 0 || !base.ok) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, connect: true } }));
        focusFirstInvalid();
        return;
      }
      testing.current = true;
      const version = connectionVersion.current;
      const apiBase = base.value;
      setState((s) => ({ ...s, test: { status: 'busy' } }));
      void api.testConnection(cloudElementsTarget(state, apiBase)).then((result) => {
        testing.current = false;
        setState((s) => {
          const saved =
            result.ok && result.value.keychain.state === 'saved'
              ? { savedCloudElements: { key: apiBase, saved: true } }
              : {};
          if (version !== connectionVersion.current) return { ...s, ...saved, test: { status: 'idle' } };
          return {
            ...s,
            ...saved,
            test: result.ok ? { status: 'ok', report: result.value } : { status: 'error', error: result.error },
          };
        });
      });
    },

    createInstance: () => {
      if (creating.current || state.create.status === 'created') return;
      const check = checkInstanceRequest(state);
      if (!base.ok || !check.ok) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, instance: true } }));
        focusFirstInvalid();
        return;
      }
      creating.current = true;
      const apiBase = base.value;
      const choice = environmentChoice(state.connection);
      const subdomain = subKey;
      setState((s) => ({
        ...s,
        attempted: { ...s.attempted, instance: true },
        create: { status: 'busy' },
        serverErrors: {},
      }));
      void api.createInstance(createRequest(state, apiBase)).then((result) => {
        creating.current = false;
        if (result.ok) {
          const { id, name, reconciled, keychain, freshdeskKeychain } = result.value;
          setState((s) => ({
            ...s,
            create: {
              status: 'created',
              instance: { id, name, reconciled },
              apiBase,
              choice,
              keychain: { cloudElements: keychain, freshdesk: freshdeskKeychain },
            },
            ...(keychain.state === 'saved' ? { savedCloudElements: { key: apiBase, saved: true } } : {}),
            ...(freshdeskKeychain.state === 'saved' ? { savedFreshdesk: { key: subdomain, saved: true } } : {}),
          }));
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

    forgetCloudElements: async () => {
      if (!base.ok) return undefined;
      const apiBase = base.value;
      const result = await api.forgetSecrets({ apiBase });
      if (!result.ok) return result.error;
      connectionVersion.current += 1;
      setState((s) => ({
        ...s,
        connection: { ...s.connection, useSaved: false },
        savedCloudElements: { key: apiBase, saved: false },
        test: s.test.status === 'busy' ? s.test : { status: 'idle' },
      }));
      return undefined;
    },

    forgetFreshdesk: async () => {
      if (subKey === '') return undefined;
      const subdomain = subKey;
      const result = await api.forgetSecrets({ subdomain });
      if (!result.ok) return result.error;
      setState((s) => ({
        ...s,
        freshdesk: { ...s.freshdesk, useSaved: false },
        savedFreshdesk: { key: subdomain, saved: false },
      }));
      return undefined;
    },

    goTo: (step) => {
      if (stepIndex(step) <= stepIndex(state.step)) setState((s) => withStep(s, step));
    },

    resume: () => setState((s) => withStep(s, s.resumeStep)),

    next: () => {
      const errors = stepErrors(state, state.step);
      if (Object.keys(errors).length > 0) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, [s.step]: true } }));
        focusFirstInvalid();
        return;
      }
      const following = STEPS[stepIndex(state.step) + 1];
      if (following !== undefined) setState((s) => withStep(s, following.id));
    },

    setUpAnother: () => {
      connectionVersion.current += 1;
      setState((s) => resetForAnother(s));
    },
  };

  const index = stepIndex(state.step);
  const back = () => {
    const previous = STEPS[index - 1];
    if (previous !== undefined) setState((s) => withStep(s, previous.id));
  };

  let body: ReactNode;
  switch (state.step) {
    case 'welcome':
      body = <Welcome state={state} actions={actions} />;
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
          {state.keychain.usable
            ? 'Secrets stay in their fields and, when you choose, in the OS keychain: never in saved progress or a summary.'
            : 'Secrets stay in their fields for this run only: never in saved progress or a summary.'}
        </p>
      </aside>

      <main className="main">
        <div className="main__scroll">
          <Banners state={state} setState={setState} />
          {body}
        </div>
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

/** Said above every step until dismissed: a settings file that was set aside, and a keychain that cannot be used. */
function Banners({
  state,
  setState,
}: {
  state: WizardState;
  setState: (update: (s: WizardState) => WizardState) => void;
}) {
  const { notice, keychain } = state;
  const showKeychain = !keychain.usable && !state.keychainBannerDismissed;
  if (notice === undefined && !showKeychain) return null;
  return (
    <div className="banners">
      {notice === undefined ? null : (
        <Notice
          tone="warning"
          title="Saved progress was reset"
          testId="settings-notice"
          onDismiss={() => setState((s) => ({ ...s, notice: undefined }))}
        >
          <p>{notice}</p>
        </Notice>
      )}
      {showKeychain ? (
        <Notice
          tone="warning"
          title="The OS keychain cannot be used"
          testId="keychain-banner"
          onDismiss={() => setState((s) => ({ ...s, keychainBannerDismissed: true }))}
        >
          <p>{keychain.message}</p>
          <p>Secrets are kept in memory for this run only: nothing is written to disk.</p>
        </Notice>
      ) : null}
    </div>
  );
}
