import { apiBaseFromHost, apiBaseFromUrl, ENVIRONMENTS, hostOf, type ApiBase } from '../main/core/api-base.js';
import type { Checked } from '../main/core/errors.js';
import { buildEventsUrl, type EventsUrl } from '../main/core/events-url.js';
import { POLLING_ELEMENTS, WEBHOOK_ELEMENT } from '../main/core/events-url.js';
import { extractInstanceId, parseInstanceId, type InstanceId } from '../main/core/instance-id.js';
import {
  buildInstanceRequest,
  normalizeTags,
  POLLING_RESOURCES,
  REFRESH_INTERVAL_LIMITS,
  type FreshdeskAuth,
  type FreshdeskElement,
  type InstanceAnswers,
  type InstanceRequestCheck,
  type PollingResource,
} from '../main/core/instance-request.js';
import type { SetupSummary } from '../main/core/setup-summary.js';
import { normalizeSubdomain } from '../main/core/subdomain.js';
import type { FieldProblem } from '../main/core/errors.js';
import type {
  ApiFailure,
  ApiRequest,
  ApiResponses,
  CreatedInstance,
  InstanceSummary,
  KeychainOutcome,
  KeychainStatus,
  Session,
  WebhookRuleResult,
} from '../main/ipc/contract.js';

/** The saved, non-secret progress (main/services/settings.ts), seen through the contract. */
export type Settings = Session['settings'];
export type SettingsPatch = ApiRequest<'saveProgress'>;
export type FinishedSetup = Settings['history'][number];
export type FinishedSetupRequest = ApiRequest<'recordFinishedSetup'>;

/**
 * Everything the wizard holds lives here, in App: step components unmount on
 * Back/Next, so they keep nothing that the user typed. Secrets stay in their
 * own fields and are never copied into any other text.
 */

export type StepId =
  'welcome' | 'connect' | 'freshdesk' | 'instance' | 'events-url' | 'walkthrough' | 'verify' | 'done';

export const STEPS: readonly { id: StepId; title: string }[] = [
  { id: 'welcome', title: 'Welcome' },
  { id: 'connect', title: 'Connect to Cloud Elements' },
  { id: 'freshdesk', title: 'Freshdesk account' },
  { id: 'instance', title: 'Instance' },
  { id: 'events-url', title: 'Events URL' },
  { id: 'walkthrough', title: 'Freshdesk webhook' },
  { id: 'verify', title: 'Verify' },
  { id: 'done', title: 'Done' },
];

/**
 * The lengths main's IPC schema accepts (main/ipc/contract.ts), checked here
 * first so that each field says what is wrong instead of the whole call being
 * refused.
 */
export const LIMITS = { secret: 4096, text: 2048, tags: 50 } as const;

/** Why a value is too long for its field, or undefined when it fits. */
export function lengthProblem(value: string, max: number, what: string): string | undefined {
  if (value.length <= max) return undefined;
  return `The ${what} is ${value.length.toLocaleString('en')} characters long; at most ${max.toLocaleString('en')} fit. Check that you pasted only the ${what}.`;
}

export const CUSTOM_ENVIRONMENT = 'custom';

export interface ConnectionAnswers {
  /** An ENVIRONMENTS id, or CUSTOM_ENVIRONMENT. */
  environment: string;
  customHost: string;
  userSecret: string;
  orgSecret: string;
  /** Save the typed secrets in the OS keychain once a call proves them. */
  remember: boolean;
  /** Send the secrets saved for this host (the renderer never sees them) instead of typed ones. */
  useSaved: boolean;
}

export type TestState =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'ok'; report: ApiResponses['testConnection'] }
  | { status: 'error'; error: ApiFailure };

export type AuthKind = FreshdeskAuth['kind'];

export interface FreshdeskAnswers {
  subdomain: string;
  authKind: AuthKind;
  apiKey: string;
  username: string;
  password: string;
  /** Save the typed key or password in the OS keychain once the instance is created. */
  remember: boolean;
  /** Send the credentials saved for this subdomain instead of typed ones. */
  useSaved: boolean;
}

/** Create a new instance, pick one from the account's list, or type a known ID. */
export type InstanceMode = 'create' | 'pick' | 'existing';

export type { FreshdeskElement, PollingResource };

export interface InstanceForm {
  mode: InstanceMode;
  /** What the user typed; ignored (the default is shown) until nameEdited. */
  name: string;
  nameEdited: boolean;
  tags: string;
  callbackUrl: string;
  /** The "I already have an instance ID" text: a number or a whole pasted response. */
  pasted: string;
  /** The element of a new instance: webhook (`freshdesk`, recommended) or polling (`freshdeskv2`). */
  element: FreshdeskElement;
  /** freshdeskv2: how often Cloud Elements polls Freshdesk, in minutes, as typed. */
  refreshInterval: string;
  /** freshdeskv2: what it polls. */
  resources: readonly PollingResource[];
  /** The element of a typed instance ID. */
  typedElement: FreshdeskElement;
  /** The instance picked from the account's list. */
  picked: PickedInstance | undefined;
}

export interface PickedInstance {
  summary: InstanceSummary;
  /** The API base the list came from. */
  apiBase: ApiBase;
}

/** What the wizard keeps of a created instance (restored ones come from the saved progress). */
export type CreatedRef = Pick<CreatedInstance, 'id' | 'name' | 'reconciled' | 'elementKey'>;

/** A call the user started: running, answered, or failed (with main's message). */
export type CallState<T> =
  { status: 'idle' } | { status: 'busy' } | { status: 'ok'; value: T } | { status: 'error'; error: ApiFailure };

/** The account's Freshdesk instances, as listed for the picker. */
export type ListState =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'ok'; apiBase: ApiBase; instances: readonly InstanceSummary[]; at: number }
  | { status: 'error'; error: ApiFailure };

export type CreateState =
  | { status: 'idle' }
  | { status: 'busy' }
  | {
      status: 'created';
      instance: CreatedRef;
      /** Where it was created, so a later change of environment cannot point the events URL elsewhere. */
      apiBase: ApiBase;
      /** The environment host or custom text it was created with: what the saved progress keeps. */
      choice: string;
      /** Whether typed secrets were saved in the OS keychain; undefined for an instance restored from a past run. */
      keychain: { cloudElements: KeychainOutcome; freshdesk: KeychainOutcome } | undefined;
    }
  | { status: 'error'; error: ApiFailure };

export type WalkthroughUi = 'current' | 'legacy';

export interface WalkthroughState {
  ui: WalkthroughUi;
  done: Readonly<Record<string, boolean>>;
}

/** How the Freshdesk rule is made: through Freshdesk's API, or by hand with the walkthrough. */
export type RuleMode = 'auto' | 'manual';

export interface RuleState {
  /** Undefined until the user chooses: then the default (ruleModeFor) applies. */
  mode: RuleMode | undefined;
  /** Use an API key typed on this step rather than the Freshdesk step's (or the saved) one. */
  ownKey: boolean;
  /** The API key typed on this step (a secret: it stays in this field, never saved). */
  apiKey: string;
  /** The events URL the results below are for: results for another URL are not shown. */
  eventsUrl: string;
  check: CallState<ApiResponses['checkFreshdesk']>;
  create: CallState<WebhookRuleResult>;
}

export type WatchState =
  | { status: 'idle' }
  | {
      status: 'watching';
      startedAt: number;
      limitMs: number;
      checks: number;
      /** Events Cloud Elements lists for the instance, old ones included. */
      total: number;
      /** The last check failed (network trouble): shown while watching goes on. */
      failure: string | undefined;
    }
  | { status: 'found'; count: number; elapsedMs: number }
  | { status: 'timed-out'; limitMs: number; checks: number }
  | { status: 'cancelled'; elapsedMs: number; checks: number }
  | { status: 'error'; error: ApiFailure };

export interface VerifyState {
  /** The instance (API base and id) these results are for. */
  key: string;
  test: CallState<ApiResponses['sendTestEvent']>;
  watch: WatchState;
  /** New events Cloud Elements received while the wizard watched (for this instance). */
  seen: number;
}

/** Field name → message. Field names: host, userSecret, orgSecret, subdomain, apiKey, username, password, name, tags, callbackUrl, pasted. */
export type FieldErrors = Readonly<Record<string, string>>;

/** Whether the keychain holds secrets for a host or subdomain (asked of main; never the secrets). */
export interface SavedFor {
  key: string;
  saved: boolean;
}

export interface WizardState {
  step: StepId;
  /** The last step other than Welcome the user was on: what "Continue where you left off" opens, saved as currentStep. */
  resumeStep: StepId;
  /** Steps the user pressed Next on (or Create): their field errors are shown from then on. */
  attempted: Readonly<Partial<Record<StepId, boolean>>>;
  connection: ConnectionAnswers;
  test: TestState;
  freshdesk: FreshdeskAnswers;
  instance: InstanceForm;
  create: CreateState;
  /** Field errors the server named on the last create call; each is dropped when its field is edited. */
  serverErrors: FieldErrors;
  /** The account's instances, for "Pick an existing instance". */
  list: ListState;
  walkthrough: WalkthroughState;
  rule: RuleState;
  verify: VerifyState;
  /** Whether the OS keychain can be used this run (from main). */
  keychain: KeychainStatus;
  /** The settings notice (a corrupt file was set aside), until dismissed. */
  notice: string | undefined;
  keychainBannerDismissed: boolean;
  /** Cloud Elements secrets saved for the API base `key`. */
  savedCloudElements: SavedFor | undefined;
  /** Freshdesk credentials saved for the subdomain `key`. */
  savedFreshdesk: SavedFor | undefined;
  /** Finished setups, most recent first. */
  history: readonly FinishedSetup[];
}

export const INITIAL_STATE: WizardState = {
  step: 'welcome',
  resumeStep: 'welcome',
  attempted: {},
  connection: {
    environment: ENVIRONMENTS[0]?.id ?? CUSTOM_ENVIRONMENT,
    customHost: '',
    userSecret: '',
    orgSecret: '',
    remember: true,
    useSaved: false,
  },
  test: { status: 'idle' },
  freshdesk: {
    subdomain: '',
    authKind: 'apiKey',
    apiKey: '',
    username: '',
    password: '',
    remember: true,
    useSaved: false,
  },
  instance: {
    mode: 'create',
    name: '',
    nameEdited: false,
    tags: '',
    callbackUrl: '',
    pasted: '',
    element: 'freshdesk',
    refreshInterval: String(REFRESH_INTERVAL_LIMITS.default),
    resources: ['incidents'],
    typedElement: 'freshdesk',
    picked: undefined,
  },
  create: { status: 'idle' },
  serverErrors: {},
  list: { status: 'idle' },
  walkthrough: { ui: 'current', done: {} },
  rule: {
    mode: undefined,
    ownKey: false,
    apiKey: '',
    eventsUrl: '',
    check: { status: 'idle' },
    create: { status: 'idle' },
  },
  verify: { key: '', test: { status: 'idle' }, watch: { status: 'idle' }, seen: 0 },
  keychain: { usable: true },
  notice: undefined,
  keychainBannerDismissed: false,
  savedCloudElements: undefined,
  savedFreshdesk: undefined,
  history: [],
};

/** Moves to a step; every step but Welcome becomes the one to resume. */
export function withStep(state: WizardState, step: StepId): WizardState {
  return { ...state, step, resumeStep: step === 'welcome' ? state.resumeStep : step };
}

/**
 * "Set up another": back to the start, keeping only non-secret choices that
 * are likely the same next time (environment, auth kind, tags, callback URL,
 * the keychain choices) and what this run learned of the keychain. The
 * instance and every typed secret are dropped.
 */
export function resetForAnother(state: WizardState): WizardState {
  return {
    ...INITIAL_STATE,
    connection: {
      ...INITIAL_STATE.connection,
      environment: state.connection.environment,
      customHost: state.connection.customHost,
      remember: state.connection.remember,
    },
    freshdesk: { ...INITIAL_STATE.freshdesk, authKind: state.freshdesk.authKind, remember: state.freshdesk.remember },
    instance: {
      ...INITIAL_STATE.instance,
      tags: state.instance.tags,
      callbackUrl: state.instance.callbackUrl,
      element: state.instance.element,
      refreshInterval: state.instance.refreshInterval,
      resources: state.instance.resources,
    },
    keychain: state.keychain,
    notice: state.notice,
    keychainBannerDismissed: state.keychainBannerDismissed,
    savedCloudElements: state.savedCloudElements,
    savedFreshdesk: state.savedFreshdesk,
    history: state.history,
  };
}

export function stepIndex(step: StepId): number {
  return STEPS.findIndex((s) => s.id === step);
}

// ---------------------------------------------------------------- derived values

/** The API base the chosen environment (or the custom host/URL) resolves to. */
export function resolveApiBase(connection: ConnectionAnswers): Checked<ApiBase> {
  if (connection.environment === CUSTOM_ENVIRONMENT) {
    const text = connection.customHost.trim();
    if (text === '') {
      return { ok: false, message: 'Enter a host such as api.cloud-elements.com, or a whole API URL.' };
    }
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? apiBaseFromUrl(text) : apiBaseFromHost(text);
  }
  const environment = ENVIRONMENTS.find((env) => env.id === connection.environment);
  if (environment === undefined) return { ok: false, message: 'Choose an environment.' };
  return apiBaseFromHost(environment.host);
}

/** The host (with port) of the chosen environment, for messages; undefined until it is valid. */
export function chosenHost(connection: ConnectionAnswers): string | undefined {
  const base = resolveApiBase(connection);
  return base.ok ? hostOf(base.value) : undefined;
}

/** True when the keychain holds Cloud Elements secrets for the chosen host. */
export function cloudElementsSaved(state: WizardState): boolean {
  const base = resolveApiBase(state.connection);
  return base.ok && state.savedCloudElements?.key === base.value && state.savedCloudElements.saved;
}

/** True when the next call will use the secrets saved for the chosen host rather than typed ones. */
export function usesSavedCloudElements(state: WizardState): boolean {
  return state.connection.useSaved && cloudElementsSaved(state);
}

/** The normalized subdomain, or '' while it is not valid. */
export function subdomainKey(freshdesk: FreshdeskAnswers): string {
  const subdomain = normalizeSubdomain(freshdesk.subdomain);
  return subdomain.ok ? subdomain.value : '';
}

export function freshdeskSaved(state: WizardState): boolean {
  const key = subdomainKey(state.freshdesk);
  return key !== '' && state.savedFreshdesk?.key === key && state.savedFreshdesk.saved;
}

export function usesSavedFreshdesk(state: WizardState): boolean {
  return state.freshdesk.useSaved && freshdeskSaved(state);
}

/** What is wrong with the chosen host, or undefined: the length first, so a huge paste gets a short message. */
export function hostProblem(connection: ConnectionAnswers): string | undefined {
  if (connection.environment === CUSTOM_ENVIRONMENT) {
    const tooLong = lengthProblem(connection.customHost, LIMITS.text, 'host');
    if (tooLong !== undefined) return tooLong;
  }
  const base = resolveApiBase(connection);
  return base.ok ? undefined : base.message;
}

export function connectionErrors(state: WizardState): FieldErrors {
  const { connection } = state;
  const errors: Record<string, string> = {};
  const host = hostProblem(connection);
  if (host !== undefined) errors.host = host;
  if (usesSavedCloudElements(state)) return errors;
  const user = lengthProblem(connection.userSecret, LIMITS.secret, 'user secret');
  const org = lengthProblem(connection.orgSecret, LIMITS.secret, 'organization secret');
  if (user !== undefined) errors.userSecret = user;
  else if (connection.userSecret.trim() === '') {
    errors.userSecret = 'Enter your Cloud Elements user secret.';
  }
  if (org !== undefined) errors.orgSecret = org;
  else if (connection.orgSecret.trim() === '') {
    errors.orgSecret = 'Enter your Cloud Elements organization secret.';
  }
  return errors;
}

/** How the request to main names the Cloud Elements secrets: typed ones go only here, never elsewhere. */
export function cloudElementsTarget(state: WizardState, apiBase: ApiBase): ApiRequest<'testConnection'> {
  if (usesSavedCloudElements(state)) return { apiBase, credentials: { source: 'saved' } };
  const { userSecret, orgSecret, remember } = state.connection;
  return {
    apiBase,
    credentials: { source: 'typed', userSecret, orgSecret, remember: remember && state.keychain.usable },
  };
}

/** Stands in for saved credentials in the local check and the masked preview; never sent. */
const SAVED_PLACEHOLDER = 'saved-in-the-os-keychain';

export function freshdeskAuth(state: WizardState): FreshdeskAuth {
  const { freshdesk } = state;
  if (usesSavedFreshdesk(state)) {
    return freshdesk.authKind === 'apiKey'
      ? { kind: 'apiKey', apiKey: SAVED_PLACEHOLDER }
      : { kind: 'password', username: freshdesk.username.trim() || SAVED_PLACEHOLDER, password: SAVED_PLACEHOLDER };
  }
  return freshdesk.authKind === 'apiKey'
    ? { kind: 'apiKey', apiKey: freshdesk.apiKey }
    : { kind: 'password', username: freshdesk.username, password: freshdesk.password };
}

/**
 * Step 3 needs a valid subdomain. The credentials are needed only to create a
 * new instance, so here they are checked only once something was typed; an
 * empty one is reported on the Instance step when the user creates.
 */
export function freshdeskErrors(state: WizardState): FieldErrors {
  const { freshdesk } = state;
  const errors: Record<string, string> = {};
  const tooLong = lengthProblem(freshdesk.subdomain, LIMITS.text, 'subdomain');
  const subdomain = normalizeSubdomain(freshdesk.subdomain);
  if (tooLong !== undefined) errors.subdomain = tooLong;
  else if (!subdomain.ok) errors.subdomain = subdomain.message;
  if (usesSavedFreshdesk(state)) return errors;
  if (freshdesk.authKind === 'apiKey') {
    const long = lengthProblem(freshdesk.apiKey, LIMITS.secret, 'Freshdesk API key');
    if (long !== undefined) errors.apiKey = long;
    else if (freshdesk.apiKey.trim() !== '' && /\s/.test(freshdesk.apiKey.trim())) {
      errors.apiKey = 'The Freshdesk API key has a space inside: copy it again.';
    }
  } else {
    const user = lengthProblem(freshdesk.username, LIMITS.text, 'Freshdesk username');
    const password = lengthProblem(freshdesk.password, LIMITS.secret, 'Freshdesk password');
    if (user !== undefined) errors.username = user;
    else if (freshdesk.password !== '' && freshdesk.username.trim() === '') {
      errors.username = 'Enter the Freshdesk username (the agent e-mail address).';
    }
    if (password !== undefined) errors.password = password;
  }
  return errors;
}

export function defaultInstanceName(subdomainInput: string): string {
  const subdomain = normalizeSubdomain(subdomainInput);
  return subdomain.ok ? `Freshdesk events (${subdomain.value})` : 'Freshdesk events';
}

export function instanceName(state: WizardState): string {
  return state.instance.nameEdited ? state.instance.name : defaultInstanceName(state.freshdesk.subdomain);
}

/** The polling settings as numbers (the interval as typed; an unusable one becomes NaN and is reported). */
export function pollingAnswers(form: InstanceForm): { refreshIntervalMinutes: number; resources: PollingResource[] } {
  const text = form.refreshInterval.trim();
  return {
    refreshIntervalMinutes: /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN,
    resources: POLLING_RESOURCES.filter((resource) => form.resources.includes(resource)),
  };
}

/** The answers as the local check and the preview see them (saved credentials as a masked stand-in). */
export function instanceAnswers(state: WizardState): InstanceAnswers {
  const subdomain = normalizeSubdomain(state.freshdesk.subdomain);
  const { element } = state.instance;
  return {
    name: instanceName(state),
    tags: normalizeTags(state.instance.tags),
    subdomain: subdomain.ok ? subdomain.value : state.freshdesk.subdomain,
    auth: freshdeskAuth(state),
    callbackUrl: state.instance.callbackUrl,
    element,
    polling: element === 'freshdeskv2' ? pollingAnswers(state.instance) : undefined,
  };
}

/** The createInstance request: typed credentials, or `saved` for the ones in the keychain. */
export function createRequest(state: WizardState, apiBase: ApiBase, requestId: string): ApiRequest<'createInstance'> {
  const answers = instanceAnswers(state);
  const saved = usesSavedFreshdesk(state);
  return {
    requestId,
    target: cloudElementsTarget(state, apiBase),
    answers: {
      name: answers.name,
      tags: [...answers.tags],
      subdomain: answers.subdomain,
      auth: saved ? { kind: 'saved' } : answers.auth,
      rememberFreshdesk: !saved && state.freshdesk.remember && state.keychain.usable,
      callbackUrl: answers.callbackUrl,
      element: state.instance.element,
      ...(answers.polling === undefined
        ? {}
        : {
            polling: {
              refreshIntervalMinutes: answers.polling.refreshIntervalMinutes,
              resources: [...answers.polling.resources],
            },
          }),
    },
  };
}

/** Fields of the Instance step (and the Freshdesk credentials it sends) that are too long to send. */
function instanceLengthProblems(state: WizardState): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string | undefined) => {
    if (message !== undefined) problems.push({ field, message });
  };
  const { freshdesk } = state;
  add('subdomain', lengthProblem(freshdesk.subdomain, LIMITS.text, 'subdomain'));
  if (!usesSavedFreshdesk(state)) {
    if (freshdesk.authKind === 'apiKey')
      add('apiKey', lengthProblem(freshdesk.apiKey, LIMITS.secret, 'Freshdesk API key'));
    else {
      add('username', lengthProblem(freshdesk.username, LIMITS.text, 'Freshdesk username'));
      add('password', lengthProblem(freshdesk.password, LIMITS.secret, 'Freshdesk password'));
    }
  }
  add('name', lengthProblem(instanceName(state), LIMITS.text, 'instance name'));
  add('callbackUrl', lengthProblem(state.instance.callbackUrl, LIMITS.text, 'callback URL'));
  const tagsText = lengthProblem(state.instance.tags, LIMITS.text, 'tag list');
  const tags = normalizeTags(state.instance.tags);
  if (tagsText !== undefined) add('tags', tagsText);
  else if (tags.length > LIMITS.tags) {
    add('tags', `That is ${tags.length} tags; at most ${LIMITS.tags} fit. Keep the ones you search by.`);
  }
  return problems;
}

/** The local check before Create: field lengths first, then the request itself (every missing entry named). */
export function checkInstanceRequest(state: WizardState): InstanceRequestCheck {
  const tooLong = instanceLengthProblems(state);
  const built = buildInstanceRequest(instanceAnswers(state));
  if (tooLong.length === 0) return built;
  const others = built.ok ? [] : built.problems.filter((problem) => !tooLong.some((p) => p.field === problem.field));
  return { ok: false, problems: [...tooLong, ...others] };
}

/** Which step holds each field, so a problem found later can send the user to the right place. */
export const FIELD_STEP: Readonly<Record<string, StepId>> = {
  host: 'connect',
  userSecret: 'connect',
  orgSecret: 'connect',
  subdomain: 'freshdesk',
  authKind: 'freshdesk',
  apiKey: 'freshdesk',
  username: 'freshdesk',
  password: 'freshdesk',
  name: 'instance',
  tags: 'instance',
  callbackUrl: 'instance',
  refreshInterval: 'instance',
  resources: 'instance',
  pasted: 'instance',
};

/** Human names of fields, for problems shown away from their field. */
export const FIELD_LABEL: Readonly<Record<string, string>> = {
  host: 'Cloud Elements host',
  userSecret: 'User secret',
  orgSecret: 'Organization secret',
  subdomain: 'Freshdesk subdomain',
  authKind: 'Sign-in method',
  apiKey: 'Freshdesk API key',
  username: 'Freshdesk username',
  password: 'Freshdesk password',
  name: 'Instance name',
  tags: 'Tags',
  callbackUrl: 'Callback URL',
  refreshInterval: 'Refresh interval',
  resources: 'What to watch',
  pasted: 'Instance ID',
};

/** Server field names (request paths like answers.callbackUrl, configuration keys) mapped onto the form's fields. */
export function formField(serverField: string): string | undefined {
  if (serverField.endsWith('event.notification.callback.url')) return 'callbackUrl';
  if (serverField.endsWith('api.key')) return 'apiKey';
  if (serverField.endsWith('apiBase')) return 'host';
  if (serverField.endsWith('refreshIntervalMinutes')) return 'refreshInterval';
  const tail = serverField
    .split(/[./[\]]/)
    .filter(Boolean)
    .pop();
  return tail !== undefined && tail in FIELD_STEP ? tail : undefined;
}

export interface ChosenInstance {
  id: InstanceId;
  /** Known when the wizard created it or picked it from the list. */
  name: string | undefined;
  callbackUrl: string | undefined;
  reconciled: boolean;
  /** `freshdesk` (events by webhook) or `freshdeskv2` (by polling). */
  elementKey: string;
  /** True for an element that polls Freshdesk: no events URL, no Freshdesk rule. */
  polling: boolean;
}

export function isPollingElement(elementKey: string): boolean {
  return POLLING_ELEMENTS.includes(elementKey);
}

/** The instance the rest of the wizard works with, from the mode the user chose. */
export function chosenInstance(state: WizardState): Checked<ChosenInstance> {
  if (state.instance.mode === 'existing') {
    const id = extractInstanceId(state.instance.pasted);
    if (!id.ok) return id;
    const elementKey = state.instance.typedElement;
    return {
      ok: true,
      value: {
        id: id.value,
        name: undefined,
        callbackUrl: undefined,
        reconciled: false,
        elementKey,
        polling: isPollingElement(elementKey),
      },
    };
  }
  if (state.instance.mode === 'pick') {
    const picked = state.instance.picked;
    const id = picked === undefined ? undefined : parseInstanceId(picked.summary.id);
    if (picked === undefined || id === undefined || !id.ok) {
      return {
        ok: false,
        message: 'Pick an instance from the list (press "Load instances" if it is empty), or choose another way.',
      };
    }
    const { elementKey, name } = picked.summary;
    return {
      ok: true,
      value: {
        id: id.value,
        name,
        callbackUrl: undefined,
        reconciled: false,
        elementKey,
        polling: isPollingElement(elementKey),
      },
    };
  }
  if (state.create.status !== 'created') {
    return {
      ok: false,
      message:
        'Create the instance first with "Create instance", or choose "Pick an existing instance" or "I already have an instance ID".',
    };
  }
  const created = state.create.instance;
  return {
    ok: true,
    value: {
      id: created.id as InstanceId,
      name: created.name,
      callbackUrl: state.instance.callbackUrl.trim() || undefined,
      reconciled: created.reconciled,
      elementKey: created.elementKey,
      polling: isPollingElement(created.elementKey),
    },
  };
}

/** The API base of the chosen instance: where it was created or listed, else the chosen environment. */
export function apiBaseFor(state: WizardState): Checked<ApiBase> {
  if (state.instance.mode === 'create' && state.create.status === 'created')
    return { ok: true, value: state.create.apiBase };
  if (state.instance.mode === 'pick' && state.instance.picked !== undefined)
    return { ok: true, value: state.instance.picked.apiBase };
  return resolveApiBase(state.connection);
}

/** The events URL for the chosen instance on the chosen host (refused, with the reason, for a polling instance). */
export function eventsUrlFor(state: WizardState): Checked<EventsUrl> {
  const base = apiBaseFor(state);
  if (!base.ok) return base;
  const instance = chosenInstance(state);
  if (!instance.ok) return instance;
  return buildEventsUrl(base.value, instance.value.id, instance.value.elementKey);
}

/** Identifies the chosen instance (API base and id), so results for another one are not shown. */
export function instanceKey(state: WizardState): string {
  const base = apiBaseFor(state);
  const instance = chosenInstance(state);
  return base.ok && instance.ok ? `${base.value}#${instance.value.id}` : '';
}

/** Steps that do not apply to the chosen instance, with the reason shown in the step list. */
export function skippedSteps(state: WizardState): Readonly<Partial<Record<StepId, string>>> {
  const instance = chosenInstance(state);
  if (instance.ok && instance.value.polling) {
    return {
      walkthrough: `Skipped: ${instance.value.elementKey} polls Freshdesk, so no rule is needed.`,
    };
  }
  return {};
}

/** The step Next leads to from `step`, past skipped ones. */
export function nextStepAfter(state: WizardState, step: StepId): StepId | undefined {
  const skipped = skippedSteps(state);
  return STEPS.slice(stepIndex(step) + 1).find((s) => skipped[s.id] === undefined)?.id;
}

/** The step Back leads to from `step`, past skipped ones. */
export function previousStepBefore(state: WizardState, step: StepId): StepId | undefined {
  const skipped = skippedSteps(state);
  return STEPS.slice(0, stepIndex(step))
    .reverse()
    .find((s) => skipped[s.id] === undefined)?.id;
}

/** The Freshdesk API key the automatic rule uses: typed on the Freshdesk step, typed on the webhook step, or saved. */
export type RuleKey =
  | { source: 'step' | 'here' | 'saved'; auth: ApiRequest<'createWebhookRule'>['auth'] }
  | { source: 'none'; reason: string };

export function ruleKey(state: WizardState): RuleKey {
  const { freshdesk, rule } = state;
  if (rule.ownKey) {
    const tooLong = lengthProblem(rule.apiKey, LIMITS.secret, 'Freshdesk API key');
    if (tooLong !== undefined) return { source: 'none', reason: tooLong };
    if (rule.apiKey.trim() === '') return { source: 'none', reason: "Type an admin's Freshdesk API key above." };
    return { source: 'here', auth: { kind: 'apiKey', apiKey: rule.apiKey } };
  }
  if (!usesSavedFreshdesk(state) && freshdesk.authKind === 'apiKey' && freshdesk.apiKey.trim() !== '') {
    return { source: 'step', auth: { kind: 'apiKey', apiKey: freshdesk.apiKey } };
  }
  if (freshdeskSaved(state) && (usesSavedFreshdesk(state) || freshdesk.authKind === 'apiKey')) {
    return { source: 'saved', auth: { kind: 'saved' } };
  }
  if (freshdesk.authKind === 'password') {
    return {
      source: 'none',
      reason:
        "Freshdesk's API takes an API key, not a username and password: type an admin's API key here, or follow the walkthrough instead.",
    };
  }
  return { source: 'none', reason: "Type an admin's Freshdesk API key (Profile settings > Your API key)." };
}

/**
 * Which way of making the rule the webhook step opens on, until the user
 * chooses: automatic when an API key is at hand, else the walkthrough (also
 * for someone who already ticked walkthrough items).
 */
export function ruleModeFor(state: WizardState): RuleMode {
  if (state.rule.mode !== undefined) return state.rule.mode;
  if (Object.values(state.walkthrough.done).some(Boolean)) return 'manual';
  return ruleKey(state).source === 'none' ? 'manual' : 'auto';
}

/** The rule the app created or reused for the current events URL, if any. */
export function ruleFor(state: WizardState): WebhookRuleResult | undefined {
  const events = eventsUrlFor(state);
  if (!events.ok || state.rule.eventsUrl !== events.value.url || state.rule.create.status !== 'ok') return undefined;
  return state.rule.create.value;
}

/** True when the Verify step saw a new event arrive for the chosen instance. */
export function verified(state: WizardState): boolean {
  const key = instanceKey(state);
  return key !== '' && state.verify.key === key && state.verify.seen > 0;
}

/** The finished setup, for Done's summary, Copy summary and the exports: never a secret. */
export function setupSummary(state: WizardState): SetupSummary | undefined {
  const chosen = chosenInstance(state);
  const base = apiBaseFor(state);
  if (!chosen.ok || !base.ok || !/^\d{1,30}$/.test(chosen.value.id)) return undefined;
  const events = eventsUrlFor(state);
  const rule = ruleFor(state);
  return {
    apiBase: base.value,
    subdomain: subdomainKey(state.freshdesk),
    elementKey: chosen.value.elementKey,
    instanceId: chosen.value.id,
    instanceName: clip(chosen.value.name ?? '', LIMITS.text),
    encodedId: events.ok ? events.value.encodedId : '',
    eventsUrl: events.ok ? events.value.url : '',
    callbackUrl: clip(chosen.value.callbackUrl ?? '', LIMITS.text),
    rule: rule === undefined ? undefined : { id: rule.id, name: clip(rule.name, LIMITS.text), created: rule.created },
  };
}

/** Errors that keep the user on `step` when they press Next (empty: they may go on). */
export function stepErrors(state: WizardState, step: StepId): FieldErrors {
  switch (step) {
    case 'connect':
      return connectionErrors(state);
    case 'freshdesk':
      return freshdeskErrors(state);
    case 'instance': {
      const instance = chosenInstance(state);
      if (instance.ok) return {};
      if (state.instance.mode === 'existing') return { pasted: instance.message };
      return state.instance.mode === 'pick' ? { pick: instance.message } : { create: instance.message };
    }
    default:
      return {};
  }
}

// ---------------------------------------------------------------- saved progress

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

function isStepId(value: string): value is StepId {
  return STEPS.some((step) => step.id === value);
}

/** What the saved progress keeps of the chosen environment: its host, or the custom text as typed. */
export function environmentChoice(connection: ConnectionAnswers): string {
  if (connection.environment === CUSTOM_ENVIRONMENT) return connection.customHost.trim();
  return ENVIRONMENTS.find((env) => env.id === connection.environment)?.host ?? '';
}

function connectionFromChoice(choice: string): Pick<ConnectionAnswers, 'environment' | 'customHost'> {
  const text = choice.trim();
  const environment = ENVIRONMENTS.find((env) => env.host === text.toLowerCase());
  if (environment !== undefined) return { environment: environment.id, customHost: '' };
  if (text === '') return { environment: INITIAL_STATE.connection.environment, customHost: '' };
  return { environment: CUSTOM_ENVIRONMENT, customHost: text };
}

/**
 * The wizard as the last run left it: every non-secret answer, the instance
 * (as the current one, so the Events URL step works at once) and the
 * walkthrough. It opens on Welcome; `resumeStep` is where Continue leads.
 */
export function stateFromSession(session: Session): WizardState {
  const { settings } = session;
  const connection = { ...INITIAL_STATE.connection, ...connectionFromChoice(settings.apiBase) };
  const base = resolveApiBase(connection);
  const savedId = settings.instance === null ? undefined : parseInstanceId(settings.instance.id);
  let create: CreateState = { status: 'idle' };
  let pasted = '';
  if (settings.instance !== null && savedId?.ok === true) {
    if (settings.instanceMode === 'existing') {
      pasted = savedId.value;
    } else if (base.ok) {
      create = {
        status: 'created',
        instance: { id: savedId.value, name: settings.instance.name, reconciled: false, elementKey: WEBHOOK_ELEMENT },
        apiBase: base.value,
        choice: environmentChoice(connection),
        keychain: undefined,
      };
    }
  }
  const state: WizardState = {
    ...INITIAL_STATE,
    connection,
    freshdesk: {
      ...INITIAL_STATE.freshdesk,
      subdomain: settings.subdomain,
      authKind: settings.authKind,
      username: settings.freshdeskUsername,
    },
    instance: {
      ...INITIAL_STATE.instance,
      mode: settings.instanceMode,
      name: settings.instanceName,
      nameEdited: settings.instanceName !== '',
      tags: settings.tags,
      callbackUrl: settings.callbackUrl,
      pasted,
    },
    create,
    walkthrough: {
      ui: settings.walkthrough.ui,
      done: Object.fromEntries(settings.walkthrough.done.map((key) => [key, true])),
    },
    keychain: session.keychain,
    notice: session.notice,
    history: settings.history,
  };
  let resumeStep: StepId = isStepId(settings.currentStep) ? settings.currentStep : 'welcome';
  // Steps after Instance need an instance: without one, resume on the Instance step.
  if (stepIndex(resumeStep) > stepIndex('instance') && !chosenInstance(state).ok) resumeStep = 'instance';
  return { ...state, resumeStep };
}

/**
 * The progress to save: non-secret answers only. There is no field here for a
 * secret (user or organization secret, API key, password), and the pasted
 * text is reduced to the instance ID found in it.
 *
 * The settings file has no place for the element yet, and a restored instance
 * is taken as `freshdesk`: so a polling (freshdeskv2) instance is not saved as
 * the current one (it would come back with an events URL it does not have). A
 * picked instance is saved as a known ID.
 */
export function progressPatch(state: WizardState): SettingsPatch {
  const created = state.instance.mode === 'create' && state.create.status === 'created' ? state.create : undefined;
  const chosen = chosenInstance(state);
  const subdomain = normalizeSubdomain(state.freshdesk.subdomain);
  const { done } = state.walkthrough;
  return {
    apiBase: clip(created?.choice ?? environmentChoice(state.connection), 2048),
    subdomain: subdomain.ok ? subdomain.value : clip(state.freshdesk.subdomain.trim(), 256),
    authKind: state.freshdesk.authKind,
    freshdeskUsername: clip(state.freshdesk.username.trim(), 256),
    instanceMode: state.instance.mode === 'pick' ? 'existing' : state.instance.mode,
    instanceName: state.instance.nameEdited ? clip(state.instance.name, 256) : '',
    tags: clip(state.instance.tags, 2048),
    callbackUrl: clip(state.instance.callbackUrl.trim(), 2048),
    instance:
      chosen.ok && !chosen.value.polling && /^\d{1,30}$/.test(chosen.value.id)
        ? { id: chosen.value.id, name: clip(chosen.value.name ?? '', 256) }
        : null,
    currentStep: state.resumeStep,
    walkthrough: {
      ui: state.walkthrough.ui,
      done: Object.keys(done)
        .filter((key) => done[key] === true && key.length <= 64)
        .slice(0, 64),
    },
  };
}

/** The finished setup to add to the history when Done is reached; undefined without an instance. */
export function finishedSetup(state: WizardState): FinishedSetupRequest | undefined {
  const chosen = chosenInstance(state);
  const base = apiBaseFor(state);
  const events = eventsUrlFor(state);
  if (!chosen.ok || !base.ok || !events.ok || !/^\d{1,30}$/.test(chosen.value.id)) return undefined;
  return {
    apiBase: base.value,
    subdomain: clip(subdomainKey(state.freshdesk), 64),
    instanceId: chosen.value.id,
    instanceName: clip(chosen.value.name ?? '', 256),
    eventsUrl: events.value.url,
  };
}

// ---------------------------------------------------------------- calls after the Connect step

/**
 * The Cloud Elements target for calls made after the Connect step (listing
 * instances, watching events): the typed secrets, or the saved ones when
 * nothing is typed (a returning user who has not opened Connect again).
 */
export function laterTarget(state: WizardState, apiBase: ApiBase): ApiRequest<'listInstances'>['target'] {
  const { connection } = state;
  const nothingTyped = connection.userSecret.trim() === '' && connection.orgSecret.trim() === '';
  const saved = state.savedCloudElements?.key === apiBase && state.savedCloudElements.saved;
  if (usesSavedCloudElements(state) || (nothingTyped && saved)) return { apiBase, credentials: { source: 'saved' } };
  const { credentials } = cloudElementsTarget(state, apiBase);
  return { apiBase, credentials };
}

/** Why a call after the Connect step cannot be made yet (secrets missing or too long), or undefined. */
export function laterTargetProblem(state: WizardState, apiBase: ApiBase): string | undefined {
  if (laterTarget(state, apiBase).credentials.source === 'saved') return undefined;
  const errors = connectionErrors(state);
  const first = errors.userSecret ?? errors.orgSecret ?? errors.host;
  return first === undefined ? undefined : `${first} (on the Connect to Cloud Elements step)`;
}

/** How often Verify asks Cloud Elements for new events. */
export const WATCH_EVERY_MS = 3_000;

/**
 * How long Verify watches: 5 minutes for a webhook instance; for a polling one,
 * long enough for one poll of the interval chosen here (at most an hour).
 */
export function watchLimitMs(state: WizardState): number {
  const minute = 60_000;
  const instance = chosenInstance(state);
  if (!instance.ok || !instance.value.polling) return 5 * minute;
  const interval = pollingIntervalFor(state);
  return Math.min(60, Math.max(5, (interval ?? 5) + 2)) * minute;
}

/** The refresh interval of a polling instance created in this session; undefined when not known. */
export function pollingIntervalFor(state: WizardState): number | undefined {
  if (state.instance.mode !== 'create' || state.create.status !== 'created') return undefined;
  const minutes = pollingAnswers(state.instance).refreshIntervalMinutes;
  return Number.isInteger(minutes) ? minutes : undefined;
}
