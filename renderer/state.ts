import { apiBaseFromHost, apiBaseFromUrl, ENVIRONMENTS, hostOf, type ApiBase } from '../main/core/api-base.js';
import type { Checked } from '../main/core/errors.js';
import { buildEventsUrl, type EventsUrl } from '../main/core/events-url.js';
import { extractInstanceId, parseInstanceId, type InstanceId } from '../main/core/instance-id.js';
import {
  buildInstanceRequest,
  normalizeTags,
  type FreshdeskAuth,
  type InstanceAnswers,
  type InstanceRequestCheck,
} from '../main/core/instance-request.js';
import { normalizeSubdomain } from '../main/core/subdomain.js';
import type {
  ApiFailure,
  ApiRequest,
  ApiResponses,
  CreatedInstance,
  KeychainOutcome,
  KeychainStatus,
  Session,
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

export type StepId = 'welcome' | 'connect' | 'freshdesk' | 'instance' | 'events-url' | 'walkthrough' | 'done';

export const STEPS: readonly { id: StepId; title: string }[] = [
  { id: 'welcome', title: 'Welcome' },
  { id: 'connect', title: 'Connect to Cloud Elements' },
  { id: 'freshdesk', title: 'Freshdesk account' },
  { id: 'instance', title: 'Instance' },
  { id: 'events-url', title: 'Events URL' },
  { id: 'walkthrough', title: 'Freshdesk webhook' },
  { id: 'done', title: 'Done' },
];

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

export type InstanceMode = 'create' | 'existing';

export interface InstanceForm {
  mode: InstanceMode;
  /** What the user typed; ignored (the default is shown) until nameEdited. */
  name: string;
  nameEdited: boolean;
  tags: string;
  callbackUrl: string;
  /** The "I already have an instance ID" text: a number or a whole pasted response. */
  pasted: string;
}

/** What the wizard keeps of a created instance (restored ones come from the saved progress). */
export type CreatedRef = Pick<CreatedInstance, 'id' | 'name' | 'reconciled'>;

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
  walkthrough: WalkthroughState;
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
  instance: { mode: 'create', name: '', nameEdited: false, tags: '', callbackUrl: '', pasted: '' },
  create: { status: 'idle' },
  serverErrors: {},
  walkthrough: { ui: 'current', done: {} },
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
    instance: { ...INITIAL_STATE.instance, tags: state.instance.tags, callbackUrl: state.instance.callbackUrl },
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

export function connectionErrors(state: WizardState): FieldErrors {
  const { connection } = state;
  const errors: Record<string, string> = {};
  const base = resolveApiBase(connection);
  if (!base.ok) errors.host = base.message;
  if (usesSavedCloudElements(state)) return errors;
  if (connection.userSecret.trim() === '') {
    errors.userSecret = 'Enter your Cloud Elements user secret.';
  }
  if (connection.orgSecret.trim() === '') {
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
  const subdomain = normalizeSubdomain(freshdesk.subdomain);
  if (!subdomain.ok) errors.subdomain = subdomain.message;
  if (usesSavedFreshdesk(state)) return errors;
  if (freshdesk.authKind === 'apiKey') {
    if (freshdesk.apiKey.trim() !== '' && /\s/.test(freshdesk.apiKey.trim())) {
      errors.apiKey = 'The Freshdesk API key has a space inside: copy it again.';
    }
  } else if (freshdesk.password !== '' && freshdesk.username.trim() === '') {
    errors.username = 'Enter the Freshdesk username (the agent e-mail address).';
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

/** The answers as the local check and the preview see them (saved credentials as a masked stand-in). */
export function instanceAnswers(state: WizardState): InstanceAnswers {
  const subdomain = normalizeSubdomain(state.freshdesk.subdomain);
  return {
    name: instanceName(state),
    tags: normalizeTags(state.instance.tags),
    subdomain: subdomain.ok ? subdomain.value : state.freshdesk.subdomain,
    auth: freshdeskAuth(state),
    callbackUrl: state.instance.callbackUrl,
  };
}

/** The createInstance request: typed credentials, or `saved` for the ones in the keychain. */
export function createRequest(state: WizardState, apiBase: ApiBase): ApiRequest<'createInstance'> {
  const answers = instanceAnswers(state);
  const saved = usesSavedFreshdesk(state);
  return {
    target: cloudElementsTarget(state, apiBase),
    answers: {
      name: answers.name,
      tags: [...answers.tags],
      subdomain: answers.subdomain,
      auth: saved ? { kind: 'saved' } : answers.auth,
      rememberFreshdesk: !saved && state.freshdesk.remember && state.keychain.usable,
      callbackUrl: answers.callbackUrl,
    },
  };
}

export function checkInstanceRequest(state: WizardState): InstanceRequestCheck {
  return buildInstanceRequest(instanceAnswers(state));
}

/** Which step holds each field, so a problem found later can send the user to the right place. */
export const FIELD_STEP: Readonly<Record<string, StepId>> = {
  host: 'connect',
  userSecret: 'connect',
  orgSecret: 'connect',
  subdomain: 'freshdesk',
  apiKey: 'freshdesk',
  username: 'freshdesk',
  password: 'freshdesk',
  name: 'instance',
  tags: 'instance',
  callbackUrl: 'instance',
  pasted: 'instance',
};

/** Human names of fields, for problems shown away from their field. */
export const FIELD_LABEL: Readonly<Record<string, string>> = {
  host: 'Cloud Elements host',
  userSecret: 'User secret',
  orgSecret: 'Organization secret',
  subdomain: 'Freshdesk subdomain',
  apiKey: 'Freshdesk API key',
  username: 'Freshdesk username',
  password: 'Freshdesk password',
  name: 'Instance name',
  tags: 'Tags',
  callbackUrl: 'Callback URL',
  pasted: 'Instance ID',
};

/** Server field names (request paths like answers.callbackUrl, configuration keys) mapped onto the form's fields. */
export function formField(serverField: string): string | undefined {
  if (serverField.endsWith('event.notification.callback.url')) return 'callbackUrl';
  if (serverField.endsWith('api.key')) return 'apiKey';
  if (serverField.endsWith('apiBase')) return 'host';
  const tail = serverField
    .split(/[./[\]]/)
    .filter(Boolean)
    .pop();
  return tail !== undefined && tail in FIELD_STEP ? tail : undefined;
}

export interface ChosenInstance {
  id: InstanceId;
  /** Known only when the wizard created it. */
  name: string | undefined;
  callbackUrl: string | undefined;
  reconciled: boolean;
}

/** The instance the rest of the wizard works with, from the mode the user chose. */
export function chosenInstance(state: WizardState): Checked<ChosenInstance> {
  if (state.instance.mode === 'existing') {
    const id = extractInstanceId(state.instance.pasted);
    if (!id.ok) return id;
    return { ok: true, value: { id: id.value, name: undefined, callbackUrl: undefined, reconciled: false } };
  }
  if (state.create.status !== 'created') {
    return {
      ok: false,
      message: 'Create the instance first with "Create instance", or choose "I already have an instance ID".',
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
    },
  };
}

/** The API base of the chosen instance: where it was created, else the chosen environment. */
export function apiBaseFor(state: WizardState): Checked<ApiBase> {
  if (state.instance.mode === 'create' && state.create.status === 'created')
    return { ok: true, value: state.create.apiBase };
  return resolveApiBase(state.connection);
}

/** The events URL for the chosen instance on the chosen host. */
export function eventsUrlFor(state: WizardState): Checked<EventsUrl> {
  const base = apiBaseFor(state);
  if (!base.ok) return base;
  const instance = chosenInstance(state);
  if (!instance.ok) return instance;
  return buildEventsUrl(base.value, instance.value.id);
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
      return state.instance.mode === 'existing' ? { pasted: instance.message } : { create: instance.message };
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
        instance: { id: savedId.value, name: settings.instance.name, reconciled: false },
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
    instanceMode: state.instance.mode,
    instanceName: state.instance.nameEdited ? clip(state.instance.name, 256) : '',
    tags: clip(state.instance.tags, 2048),
    callbackUrl: clip(state.instance.callbackUrl.trim(), 2048),
    instance:
      chosen.ok && /^\d{1,30}$/.test(chosen.value.id)
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
