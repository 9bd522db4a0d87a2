import { ArrowLeft, ArrowRight, Check, LoaderCircle, Minus, Webhook } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiFailure, ApiRequest, InstanceSummary } from '../main/ipc/contract.js';
import { api } from './api';
import {
  apiBaseFor,
  checkInstanceRequest,
  chosenInstance,
  eventsUrlFor,
  instanceKey,
  laterTarget,
  laterTargetProblem,
  nextStepAfter,
  previousStepBefore,
  ruleKey,
  ruleModeFor,
  skippedSteps,
  verified,
  watchLimitMs,
  WATCH_EVERY_MS,
  type RuleState,
  type VerifyState,
  type WatchState,
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
import { Verify } from './steps/Verify';
import { Welcome } from './steps/Welcome';
import { Notice } from './ui';
import { ruleNameFor } from './walkthrough';

/** What the steps may do to the wizard's state: every change goes through App. */
export interface WizardActions {
  setConnection: (patch: Partial<ConnectionAnswers>) => void;
  setFreshdesk: (patch: Partial<FreshdeskAnswers>) => void;
  setInstance: (patch: Partial<InstanceForm>) => void;
  setWalkthrough: (patch: Partial<WalkthroughState>) => void;
  setRule: (patch: Partial<Pick<RuleState, 'mode' | 'ownKey' | 'apiKey'>>) => void;
  testConnection: () => void;
  createInstance: () => void;
  /** Cancels a running create: main then says whether the instance may exist. */
  cancelCreate: () => void;
  /** Forget the created instance (after a success) so that a different one can be created. */
  discardCreated: () => void;
  /** Lists the account's Freshdesk instances for the picker. */
  listInstances: () => void;
  cancelList: () => void;
  pickInstance: (summary: InstanceSummary) => void;
  /** Checks the Freshdesk API key the automatic rule will use (GET /api/v2/agents/me). */
  checkRuleKey: () => void;
  /** Creates the Freshdesk rule (or finds the one that already posts to the events URL). */
  createRule: () => void;
  cancelRule: () => void;
  sendTestEvent: () => void;
  startWatch: () => void;
  cancelWatch: () => void;
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

/** The calls that can run at the same time, one each. */
type Slot = 'test' | 'create' | 'list' | 'check' | 'rule' | 'send' | 'watch';

/** A request id main accepts (letters, digits, dashes): what cancelRequest names. */
function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** One run of "Watch for events": what it polls and what it has seen. */
interface WatchRun {
  key: string;
  target: ApiRequest<'listReceivedEvents'>['target'];
  instanceId: string;
  startedAt: number;
  limitMs: number;
  checks: number;
  total: number;
  /** Failed checks in a row: network trouble is ridden out for a while, then reported. */
  failures: number;
  /** The event ids that were there before: anything else is new. Taken on the first check when not known. */
  baseline: ReadonlySet<string> | undefined;
  timer: number | undefined;
}

/** The rule state for an events URL: results for another URL are dropped. */
function ruleStateFor(state: WizardState, eventsUrl: string): RuleState {
  if (state.rule.eventsUrl === eventsUrl) return state.rule;
  return { ...state.rule, eventsUrl, check: { status: 'idle' }, create: { status: 'idle' } };
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
  const instanceBase = apiBaseFor(state);
  const chosen = chosenInstance(state);
  const events = eventsUrlFor(state);
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

  // ------------------------------------------------------------ calls the user can cancel
  // One running call per slot: the slot is taken before the first await, so a double click makes one request.
  const running = useRef(new Map<Slot, string>());
  const begin = (slot: Slot): string | undefined => {
    if (running.current.has(slot)) return undefined;
    const requestId = newRequestId();
    running.current.set(slot, requestId);
    return requestId;
  };
  /** Frees the slot; false when the answer belongs to a call that was replaced (then it is dropped). */
  const end = (slot: Slot, requestId: string): boolean => {
    if (running.current.get(slot) !== requestId) return false;
    running.current.delete(slot);
    return true;
  };
  /** Asks main to abort the slot's call; retried briefly, since main registers a call only once it has checked it. */
  const cancel = (slot: Slot): void => {
    const requestId = running.current.get(slot);
    if (requestId === undefined) return;
    const attempt = (left: number) => {
      void api.cancelRequest({ requestId }).then((result) => {
        const found = result.ok && result.value.cancelled;
        if (!found && left > 0 && running.current.get(slot) === requestId) {
          window.setTimeout(() => attempt(left - 1), 150);
        }
      });
    };
    attempt(10);
  };

  // ------------------------------------------------------------ Verify: watching for events
  /** Event ids Cloud Elements listed before the wizard sent or watched anything, per instance. */
  const baseline = useRef<{ key: string; ids: ReadonlySet<string> } | undefined>(undefined);
  const watchRun = useRef<WatchRun | undefined>(undefined);
  const stopWatch = (): WatchRun | undefined => {
    const run = watchRun.current;
    if (run === undefined) return undefined;
    watchRun.current = undefined;
    window.clearTimeout(run.timer);
    cancel('watch');
    running.current.delete('watch');
    return run;
  };
  /** Moves to a step; leaving Verify stops the watch. */
  const moveTo = (step: StepId): void => {
    const run = step === 'verify' ? undefined : stopWatch();
    setState((s) => {
      const moved = withStep(s, step);
      if (run === undefined) return moved;
      const watch: WatchState = { status: 'cancelled', elapsedMs: Date.now() - run.startedAt, checks: run.checks };
      return { ...moved, verify: { ...moved.verify, watch } };
    });
  };
  // Leaving the wizard stops the watch.
  useEffect(
    () => () => {
      stopWatch();
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  /** Verify's results belong to one instance: a different one starts from nothing. */
  const verifyFor = (s: WizardState): VerifyState => {
    const key = instanceKey(s);
    return s.verify.key === key ? s.verify : { ...INITIAL_STATE.verify, key };
  };

  const poll = (run: WatchRun): void => {
    const requestId = newRequestId();
    running.current.set('watch', requestId);
    void api.listReceivedEvents({ requestId, target: run.target, instanceId: run.instanceId }).then((result) => {
      if (watchRun.current !== run) return;
      running.current.delete('watch');
      run.checks += 1;
      const elapsedMs = Date.now() - run.startedAt;
      let failure: string | undefined;
      let total = run.total;
      if (!result.ok) {
        run.failures += 1;
        const fatal = !['network', 'timeout', 'server', 'unreadable'].includes(result.error.kind);
        if (fatal || run.failures >= 3) {
          watchRun.current = undefined;
          setState((s) => ({ ...s, verify: { ...verifyFor(s), watch: { status: 'error', error: result.error } } }));
          return;
        }
        failure = result.error.message;
      } else {
        run.failures = 0;
        const ids = result.value.events.map((event) => event.id);
        total = ids.length;
        run.total = total;
        const known: ReadonlySet<string> =
          run.baseline ?? (baseline.current?.key === run.key ? baseline.current.ids : new Set(ids));
        run.baseline = known;
        baseline.current = { key: run.key, ids: known };
        const fresh = ids.filter((id) => !known.has(id)).length;
        if (fresh > 0) {
          watchRun.current = undefined;
          baseline.current = { key: run.key, ids: new Set(ids) };
          setState((s) => {
            const verify = verifyFor(s);
            return {
              ...s,
              verify: { ...verify, seen: verify.seen + fresh, watch: { status: 'found', count: fresh, elapsedMs } },
            };
          });
          return;
        }
      }
      if (elapsedMs >= run.limitMs) {
        watchRun.current = undefined;
        setState((s) => ({
          ...s,
          verify: { ...verifyFor(s), watch: { status: 'timed-out', limitMs: run.limitMs, checks: run.checks } },
        }));
        return;
      }
      setState((s) => ({
        ...s,
        verify: {
          ...verifyFor(s),
          watch: {
            status: 'watching',
            startedAt: run.startedAt,
            limitMs: run.limitMs,
            checks: run.checks,
            total,
            failure,
          },
        },
      }));
      run.timer = window.setTimeout(() => poll(run), WATCH_EVERY_MS);
    });
  };

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
        rule: s.rule.check.status === 'busy' ? s.rule : { ...s.rule, check: { status: 'idle' } },
      }));
    },
    setInstance: (patch) =>
      setState((s) => ({
        ...s,
        instance: { ...s.instance, ...patch },
        serverErrors: withoutErrors(s, Object.keys(patch)),
      })),
    setWalkthrough: (patch) => setState((s) => ({ ...s, walkthrough: { ...s.walkthrough, ...patch } })),
    setRule: (patch) =>
      setState((s) => {
        const keyChanged = 'apiKey' in patch || 'ownKey' in patch;
        return {
          ...s,
          rule: {
            ...s.rule,
            // The first choice on the step pins the way it opened, so typing a key never flips it.
            mode: s.rule.mode ?? ruleModeFor(s),
            ...patch,
            ...(keyChanged && s.rule.check.status !== 'busy' ? { check: { status: 'idle' } as const } : {}),
          },
        };
      }),

    testConnection: () => {
      if (running.current.has('test')) return;
      const errors = connectionErrors(state);
      if (Object.keys(errors).length > 0 || !base.ok) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, connect: true } }));
        focusFirstInvalid();
        return;
      }
      const requestId = begin('test');
      if (requestId === undefined) return;
      const version = connectionVersion.current;
      const apiBase = base.value;
      setState((s) => ({ ...s, test: { status: 'busy' } }));
      void api.testConnection({ ...cloudElementsTarget(state, apiBase), requestId }).then((result) => {
        end('test', requestId);
        setState((s) => {
          const saved =
            result.ok && result.value.keychain.state === 'saved'
              ? { savedCloudElements: { key: apiBase, saved: true } }
              : {};
          if (version !== connectionVersion.current) return { ...s, ...saved, test: { status: 'idle' } };
          // Only the polling element: preselect the polling path (unless an instance was already made).
          const pollingOnly =
            result.ok && !result.value.webhookElementAvailable && result.value.pollingElementAvailable;
          const instance: InstanceForm =
            pollingOnly && s.create.status !== 'created'
              ? { ...s.instance, element: 'freshdeskv2', typedElement: 'freshdeskv2' }
              : s.instance;
          return {
            ...s,
            ...saved,
            instance,
            test: result.ok ? { status: 'ok', report: result.value } : { status: 'error', error: result.error },
          };
        });
      });
    },

    createInstance: () => {
      if (running.current.has('create') || state.create.status === 'created') return;
      const check = checkInstanceRequest(state);
      if (!base.ok || !check.ok) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, instance: true } }));
        focusFirstInvalid();
        return;
      }
      const requestId = begin('create');
      if (requestId === undefined) return;
      const apiBase = base.value;
      const choice = environmentChoice(state.connection);
      const subdomain = subKey;
      setState((s) => ({
        ...s,
        attempted: { ...s.attempted, instance: true },
        create: { status: 'busy' },
        serverErrors: {},
      }));
      void api.createInstance(createRequest(state, apiBase, requestId)).then((result) => {
        end('create', requestId);
        if (result.ok) {
          const { id, name, reconciled, elementKey, keychain, freshdeskKeychain } = result.value;
          setState((s) => ({
            ...s,
            create: {
              status: 'created',
              instance: { id, name, reconciled, elementKey },
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

    cancelCreate: () => cancel('create'),

    discardCreated: () => setState((s) => ({ ...s, create: { status: 'idle' } })),

    listInstances: () => {
      if (running.current.has('list')) return;
      if (!base.ok) {
        setState((s) => ({
          ...s,
          list: {
            status: 'error',
            error: { kind: 'invalid-input', message: `${base.message} (on the Connect to Cloud Elements step)` },
          },
        }));
        return;
      }
      const apiBase = base.value;
      const problem = laterTargetProblem(state, apiBase);
      if (problem !== undefined) {
        setState((s) => ({ ...s, list: { status: 'error', error: { kind: 'invalid-input', message: problem } } }));
        return;
      }
      const requestId = begin('list');
      if (requestId === undefined) return;
      setState((s) => ({ ...s, list: { status: 'busy' } }));
      void api.listInstances({ requestId, target: laterTarget(state, apiBase) }).then((result) => {
        if (!end('list', requestId)) return;
        setState((s) => ({
          ...s,
          list: result.ok
            ? { status: 'ok', apiBase, instances: result.value, at: Date.now() }
            : { status: 'error', error: result.error },
        }));
      });
    },

    cancelList: () => cancel('list'),

    pickInstance: (summary) =>
      setState((s) => {
        if (s.list.status !== 'ok') return s;
        return { ...s, instance: { ...s.instance, mode: 'pick', picked: { summary, apiBase: s.list.apiBase } } };
      }),

    checkRuleKey: () => {
      const key = ruleKey(state);
      if (key.source === 'none' || running.current.has('check')) return;
      const requestId = begin('check');
      if (requestId === undefined) return;
      const eventsUrl = events.ok ? events.value.url : '';
      setState((s) => ({ ...s, rule: { ...ruleStateFor(s, eventsUrl), check: { status: 'busy' } } }));
      void api.checkFreshdesk({ requestId, subdomain: subKey, auth: key.auth }).then((result) => {
        if (!end('check', requestId)) return;
        setState((s) => ({
          ...s,
          rule: {
            ...s.rule,
            check: result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error },
          },
        }));
      });
    },

    createRule: () => {
      const key = ruleKey(state);
      if (key.source === 'none' || !events.ok || !chosen.ok) return;
      const requestId = begin('rule');
      if (requestId === undefined) return;
      const eventsUrl = events.value.url;
      setState((s) => ({ ...s, rule: { ...ruleStateFor(s, eventsUrl), create: { status: 'busy' } } }));
      void api
        .createWebhookRule({
          requestId,
          subdomain: subKey,
          auth: key.auth,
          eventsUrl,
          name: ruleNameFor(chosen.value.id),
        })
        .then((result) => {
          if (!end('rule', requestId)) return;
          setState((s) => ({
            ...s,
            rule: {
              ...ruleStateFor(s, eventsUrl),
              create: result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error },
            },
          }));
        });
    },

    cancelRule: () => cancel('rule'),

    sendTestEvent: () => {
      if (!events.ok || !instanceBase.ok || !chosen.ok) return;
      const apiBaseOfInstance = instanceBase.value;
      const requestId = begin('send');
      if (requestId === undefined) return;
      const key = instanceKey(state);
      const target = laterTarget(state, apiBaseOfInstance);
      const instanceId = chosen.value.id;
      const eventsUrl = events.value.url;
      setState((s) => ({ ...s, verify: { ...verifyFor(s), test: { status: 'busy' } } }));
      void (async () => {
        // What Cloud Elements already holds, so that the test event counts as new when watching.
        if (baseline.current?.key !== key && laterTargetProblem(state, apiBaseOfInstance) === undefined) {
          const known = await api.listReceivedEvents({ target, instanceId });
          if (known.ok && baseline.current?.key !== key) {
            baseline.current = { key, ids: new Set(known.value.events.map((event) => event.id)) };
          }
        }
        const result = await api.sendTestEvent({ requestId, eventsUrl, subdomain: subKey });
        if (!end('send', requestId)) return;
        setState((s) => ({
          ...s,
          verify: {
            ...verifyFor(s),
            test: result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error },
          },
        }));
      })();
    },

    startWatch: () => {
      if (watchRun.current !== undefined || !chosen.ok || !instanceBase.ok) return;
      const apiBaseOfInstance = instanceBase.value;
      const problem = laterTargetProblem(state, apiBaseOfInstance);
      if (problem !== undefined) {
        setState((s) => ({
          ...s,
          verify: { ...verifyFor(s), watch: { status: 'error', error: { kind: 'invalid-input', message: problem } } },
        }));
        return;
      }
      const key = instanceKey(state);
      const run: WatchRun = {
        key,
        target: laterTarget(state, apiBaseOfInstance),
        instanceId: chosen.value.id,
        startedAt: Date.now(),
        limitMs: watchLimitMs(state),
        checks: 0,
        total: 0,
        failures: 0,
        baseline: baseline.current?.key === key ? baseline.current.ids : undefined,
        timer: undefined,
      };
      watchRun.current = run;
      setState((s) => ({
        ...s,
        verify: {
          ...verifyFor(s),
          watch: {
            status: 'watching',
            startedAt: run.startedAt,
            limitMs: run.limitMs,
            checks: 0,
            total: 0,
            failure: undefined,
          },
        },
      }));
      poll(run);
    },

    cancelWatch: () => {
      const run = stopWatch();
      if (run === undefined) return;
      setState((s) => ({
        ...s,
        verify: {
          ...verifyFor(s),
          watch: { status: 'cancelled', elapsedMs: Date.now() - run.startedAt, checks: run.checks },
        },
      }));
    },

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
      if (stepIndex(step) <= stepIndex(state.step) && skippedSteps(state)[step] === undefined) moveTo(step);
    },

    resume: () => moveTo(state.resumeStep),

    next: () => {
      const errors = stepErrors(state, state.step);
      if (Object.keys(errors).length > 0) {
        setState((s) => ({ ...s, attempted: { ...s.attempted, [s.step]: true } }));
        focusFirstInvalid();
        return;
      }
      const following = nextStepAfter(state, state.step);
      if (following !== undefined) moveTo(following);
    },

    setUpAnother: () => {
      connectionVersion.current += 1;
      stopWatch();
      baseline.current = undefined;
      setState((s) => resetForAnother(s));
    },
  };

  const index = stepIndex(state.step);
  const skipped = skippedSteps(state);
  const eventsSeen = verified(state);
  const back = () => {
    const previous = previousStepBefore(state, state.step);
    if (previous !== undefined) moveTo(previous);
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
    case 'verify':
      body = <Verify state={state} actions={actions} />;
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
              const skip = skipped[step.id];
              const passed = i < index;
              // Verify is "done" only when an event was seen: passing it by is not a success.
              const unverified = passed && step.id === 'verify' && !eventsSeen;
              const status =
                skip !== undefined
                  ? 'skipped'
                  : unverified
                    ? 'unverified'
                    : passed
                      ? 'done'
                      : i === index
                        ? 'current'
                        : 'todo';
              const content = (
                <>
                  <span className="steps__dot" aria-hidden="true">
                    {status === 'done' ? (
                      <Check size={13} strokeWidth={3} />
                    ) : status === 'skipped' ? (
                      <Minus size={13} strokeWidth={3} />
                    ) : (
                      i + 1
                    )}
                  </span>
                  <span className="steps__text">
                    <span className="steps__title">{step.title}</span>
                    {skip === undefined ? null : (
                      <span className="steps__note" data-testid={`step-skipped-${step.id}`} title={skip}>
                        {skip}
                      </span>
                    )}
                    {unverified ? <span className="steps__note">Not verified yet</span> : null}
                  </span>
                </>
              );
              return (
                <li key={step.id} className={`steps__item steps__item--${status}`}>
                  {status === 'done' || status === 'unverified' ? (
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
