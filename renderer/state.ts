import { apiBaseFromHost, apiBaseFromUrl, ENVIRONMENTS, type ApiBase } from '../main/core/api-base.js';
import type { Checked } from '../main/core/errors.js';
import { buildEventsUrl, type EventsUrl } from '../main/core/events-url.js';
import { extractInstanceId, type InstanceId } from '../main/core/instance-id.js';
import {
  buildInstanceRequest,
  normalizeTags,
  type FreshdeskAuth,
  type InstanceAnswers,
  type InstanceRequestCheck,
} from '../main/core/instance-request.js';
import { normalizeSubdomain } from '../main/core/subdomain.js';
import type { ApiFailure, ConnectionReport, CreatedInstance } from '../main/ipc/contract.js';

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
}

export type TestState =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'ok'; report: ConnectionReport }
  | { status: 'error'; error: ApiFailure };

export type AuthKind = FreshdeskAuth['kind'];

export interface FreshdeskAnswers {
  subdomain: string;
  authKind: AuthKind;
  apiKey: string;
  username: string;
  password: string;
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

export type CreateState =
  | { status: 'idle' }
  | { status: 'busy' }
  /** apiBase: where it was created, so a later change of environment cannot point the events URL elsewhere. */
  | { status: 'created'; instance: CreatedInstance; apiBase: ApiBase }
  | { status: 'error'; error: ApiFailure };

export type WalkthroughUi = 'current' | 'legacy';

export interface WalkthroughState {
  ui: WalkthroughUi;
  done: Readonly<Record<string, boolean>>;
}

/** Field name → message. Field names: host, userSecret, orgSecret, subdomain, apiKey, username, password, name, tags, callbackUrl, pasted. */
export type FieldErrors = Readonly<Record<string, string>>;

export interface WizardState {
  step: StepId;
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
}

export const INITIAL_STATE: WizardState = {
  step: 'welcome',
  attempted: {},
  connection: { environment: ENVIRONMENTS[0]?.id ?? CUSTOM_ENVIRONMENT, customHost: '', userSecret: '', orgSecret: '' },
  test: { status: 'idle' },
  freshdesk: { subdomain: '', authKind: 'apiKey', apiKey: '', username: '', password: '' },
  instance: { mode: 'create', name: '', nameEdited: false, tags: '', callbackUrl: '', pasted: '' },
  create: { status: 'idle' },
  serverErrors: {},
  walkthrough: { ui: 'current', done: {} },
};

/** "Set up another": back to the start, keeping only non-secret choices that are likely the same next time. */
export function resetForAnother(state: WizardState): WizardState {
  return {
    ...INITIAL_STATE,
    connection: {
      ...INITIAL_STATE.connection,
      environment: state.connection.environment,
      customHost: state.connection.customHost,
    },
    freshdesk: { ...INITIAL_STATE.freshdesk, authKind: state.freshdesk.authKind },
    instance: { ...INITIAL_STATE.instance, tags: state.instance.tags, callbackUrl: state.instance.callbackUrl },
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

export function connectionErrors(connection: ConnectionAnswers): FieldErrors {
  const errors: Record<string, string> = {};
  const base = resolveApiBase(connection);
  if (!base.ok) errors.host = base.message;
  if (connection.userSecret.trim() === '') {
    errors.userSecret = 'Enter your Cloud Elements user secret.';
  }
  if (connection.orgSecret.trim() === '') {
    errors.orgSecret = 'Enter your Cloud Elements organization secret.';
  }
  return errors;
}

export function freshdeskAuth(freshdesk: FreshdeskAnswers): FreshdeskAuth {
  return freshdesk.authKind === 'apiKey'
    ? { kind: 'apiKey', apiKey: freshdesk.apiKey }
    : { kind: 'password', username: freshdesk.username, password: freshdesk.password };
}

/**
 * Step 3 needs a valid subdomain. The credentials are needed only to create a
 * new instance, so here they are checked only once something was typed; an
 * empty one is reported on the Instance step when the user creates.
 */
export function freshdeskErrors(freshdesk: FreshdeskAnswers): FieldErrors {
  const errors: Record<string, string> = {};
  const subdomain = normalizeSubdomain(freshdesk.subdomain);
  if (!subdomain.ok) errors.subdomain = subdomain.message;
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

export function instanceAnswers(state: WizardState): InstanceAnswers {
  const subdomain = normalizeSubdomain(state.freshdesk.subdomain);
  return {
    name: instanceName(state),
    tags: normalizeTags(state.instance.tags),
    subdomain: subdomain.ok ? subdomain.value : state.freshdesk.subdomain,
    auth: freshdeskAuth(state.freshdesk),
    callbackUrl: state.instance.callbackUrl,
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
      return connectionErrors(state.connection);
    case 'freshdesk':
      return freshdeskErrors(state.freshdesk);
    case 'instance': {
      const instance = chosenInstance(state);
      if (instance.ok) return {};
      return state.instance.mode === 'existing' ? { pasted: instance.message } : { create: instance.message };
    }
    default:
      return {};
  }
}
