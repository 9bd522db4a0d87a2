import { isEventsEndpoint } from './events-url.js';
import type { FieldProblem } from './errors.js';
import { cleanSecret } from './secrets.js';
import { normalizeSubdomain } from './subdomain.js';

/** How the Cloud Elements instance signs in to Freshdesk. */
export type FreshdeskAuth =
  { kind: 'apiKey'; apiKey: string } | { kind: 'password'; username: string; password: string };

/** The two Freshdesk elements: `freshdesk` receives events by webhook, `freshdeskv2` polls for them. */
export type FreshdeskElement = 'freshdesk' | 'freshdeskv2';

export const POLLING_RESOURCES = ['incidents', 'contacts'] as const;
export type PollingResource = (typeof POLLING_RESOURCES)[number];

/** How often (minutes) and what a freshdeskv2 instance polls. */
export interface PollingAnswers {
  refreshIntervalMinutes: number;
  resources: readonly PollingResource[];
}

/** What the wizard (or `freshdesk-events create`) collects for a new instance. */
export interface InstanceAnswers {
  name: string;
  tags: readonly string[];
  subdomain: string;
  auth: FreshdeskAuth;
  callbackUrl: string;
  /** Default `freshdesk`. */
  element?: FreshdeskElement | undefined;
  /** Required for freshdeskv2. */
  polling?: PollingAnswers | undefined;
}

/** A configuration value: a string, or (for the poller configuration) a JSON object. */
export type ConfigurationValue = string | { readonly [key: string]: unknown };

/** The `POST /instances` body, in the shape the seed (freshdesk) and the freshdeskv2 events page document. */
export interface InstanceRequestBody {
  element: { key: string };
  configuration: Record<string, ConfigurationValue>;
  tags: string[];
  name: string;
}

/** Configuration keys of the freshdesk element and of event delivery, kept in one place. */
export const CONFIG_KEYS = {
  subdomain: 'subdomain',
  apiKey: 'api.key',
  username: 'username',
  password: 'password',
  eventsEnabled: 'event.notification.enabled',
  callbackUrl: 'event.notification.callback.url',
  vendorType: 'event.vendor.type',
  refreshInterval: 'event.poller.refresh_interval',
  pollerConfiguration: 'event.poller.configuration',
} as const;

/** Configuration values that are secrets: masked wherever a body is shown or logged. freshdeskv2 takes the API key as `username`. */
export function secretConfigKeys(elementKey: string): readonly string[] {
  return elementKey === 'freshdeskv2'
    ? [CONFIG_KEYS.username, CONFIG_KEYS.apiKey, CONFIG_KEYS.password]
    : [CONFIG_KEYS.apiKey, CONFIG_KEYS.password];
}
export const MASK = '********';

export const REFRESH_INTERVAL_LIMITS = { min: 1, max: 1440, default: 15 } as const;

/**
 * The freshdeskv2 poller configuration for each resource, as the element's
 * events page shows it (DP docs/elements/freshdesk/events.md). Cloud Elements
 * substitutes `${gmtDate:...}` with the time of the last poll.
 */
const POLLER_RESOURCE_CONFIGURATION: Record<PollingResource, Record<string, unknown>> = {
  incidents: {
    url: "/hubs/helpdesk/incidents?where=updated_since='${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'",
    idField: 'id',
    datesConfiguration: {
      updatedDateField: 'updated_at',
      updatedDateFormat: "yyyy-MM-dd'T'HH:mm:ssXXX",
      createdDateField: 'created_at',
      createdDateFormat: "yyyy-MM-dd'T'HH:mm:ssXXX",
    },
  },
  contacts: {
    createdCheckTolerance: 5,
    url: "/hubs/helpdesk/contacts?where=updated_since='${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'",
    idField: 'id',
    datesConfiguration: {
      updatedDateField: 'updated_at',
      updatedDateFormat: "yyyy-MM-dd'T'HH:mm:ssXXX",
      createdDateField: 'created_at',
      createdDateFormat: "yyyy-MM-dd'T'HH:mm:ssXXX",
    },
  },
};

export type InstanceRequestCheck = { ok: true; body: InstanceRequestBody } | { ok: false; problems: FieldProblem[] };

/** Validates the answers (naming every missing entry) and builds the request body. */
export function buildInstanceRequest(answers: InstanceAnswers): InstanceRequestCheck {
  const problems: FieldProblem[] = [];
  const name = answers.name.trim();
  if (name === '')
    problems.push({ field: 'name', message: 'Name the instance, for example "Freshdesk events (acme)".' });
  else if (name.length > 200)
    problems.push({ field: 'name', message: 'The instance name is longer than 200 characters.' });

  const subdomain = normalizeSubdomain(answers.subdomain);
  if (!subdomain.ok) problems.push({ field: 'subdomain', message: subdomain.message });

  const element = answers.element ?? 'freshdesk';
  const auth = answers.auth;
  const credentials: Record<string, string> = {};
  if (element === 'freshdeskv2' && auth.kind !== 'apiKey') {
    problems.push({
      field: 'authKind',
      message: 'freshdeskv2 signs in to Freshdesk with an API key only: choose API key.',
    });
  }
  const polling = element === 'freshdeskv2' ? checkPolling(answers.polling, problems) : undefined;
  if (auth.kind === 'apiKey') {
    const apiKey = cleanSecret(auth.apiKey, 'apiKey');
    if (auth.apiKey.trim() === '')
      problems.push({ field: 'apiKey', message: 'Enter the Freshdesk API key (Profile settings > Your API key).' });
    else if (!apiKey.ok) problems.push({ field: 'apiKey', message: apiKey.message });
    credentials[CONFIG_KEYS.apiKey] = apiKey.ok ? apiKey.value : '';
  } else {
    const username = auth.username.trim();
    if (username === '')
      problems.push({ field: 'username', message: 'Enter the Freshdesk username (the agent e-mail address).' });
    if (auth.password === '') problems.push({ field: 'password', message: 'Enter the Freshdesk password.' });
    credentials[CONFIG_KEYS.username] = username;
    credentials[CONFIG_KEYS.password] = auth.password;
  }

  const callback = checkCallbackUrl(answers.callbackUrl);
  if (callback.problem) problems.push({ field: 'callbackUrl', message: callback.problem });

  const tags = normalizeTags(answers.tags);
  const badTag = tags.find((tag) => tag.length > 100);
  if (badTag !== undefined) problems.push({ field: 'tags', message: 'A tag is longer than 100 characters.' });

  if (problems.length > 0 || !subdomain.ok || callback.url === undefined) return { ok: false, problems };
  const events: Record<string, ConfigurationValue> = {
    [CONFIG_KEYS.eventsEnabled]: 'true',
    [CONFIG_KEYS.callbackUrl]: callback.url,
  };
  if (polling) {
    events[CONFIG_KEYS.vendorType] = 'polling';
    events[CONFIG_KEYS.refreshInterval] = String(polling.refreshIntervalMinutes);
    events[CONFIG_KEYS.pollerConfiguration] = Object.fromEntries(
      polling.resources.map((resource) => [resource, POLLER_RESOURCE_CONFIGURATION[resource]]),
    );
  }
  // freshdeskv2 takes the API key as `username` (its authenticate page); freshdesk takes `api.key`.
  const apiKey = credentials[CONFIG_KEYS.apiKey];
  const signIn: Record<string, string> =
    element === 'freshdeskv2' && apiKey !== undefined ? { [CONFIG_KEYS.username]: apiKey } : credentials;
  return {
    ok: true,
    body: {
      element: { key: element },
      configuration: { [CONFIG_KEYS.subdomain]: subdomain.value, ...signIn, ...events },
      tags,
      name,
    },
  };
}

function checkPolling(polling: PollingAnswers | undefined, problems: FieldProblem[]): PollingAnswers | undefined {
  const { min, max } = REFRESH_INTERVAL_LIMITS;
  const minutes = polling?.refreshIntervalMinutes ?? Number.NaN;
  const resources = [...new Set(polling?.resources ?? [])];
  let ok = true;
  if (!Number.isInteger(minutes) || minutes < min || minutes > max) {
    problems.push({
      field: 'refreshInterval',
      message: `Choose how often Cloud Elements polls Freshdesk: a whole number of minutes from ${min} to ${max}.`,
    });
    ok = false;
  }
  if (resources.length === 0) {
    problems.push({ field: 'resources', message: 'Choose what to watch: tickets (incidents), contacts, or both.' });
    ok = false;
  }
  return ok ? { refreshIntervalMinutes: minutes, resources } : undefined;
}

/** Splits "a, b,,c " or a list into trimmed, unique, non-empty tags. */
export function normalizeTags(tags: readonly string[] | string): string[] {
  const list = typeof tags === 'string' ? tags.split(',') : tags.flatMap((tag) => tag.split(','));
  return [...new Set(list.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

/**
 * The callback URL is the user's own app endpoint where Cloud Elements posts
 * normalized events: https, and never the Cloud Elements `/events/...` URL
 * (that one goes into Freshdesk).
 */
export function checkCallbackUrl(
  input: string,
): { url: string; problem?: undefined } | { url?: undefined; problem: string } {
  const text = input.trim();
  if (text === '') {
    return { problem: "Enter your app's callback URL: the https address where Cloud Elements will POST the events." };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      problem: `"${text}" is not a URL: enter a full address such as https://app.example.com/freshdesk-events.`,
    };
  }
  if (url.protocol !== 'https:') {
    return {
      problem: `The callback URL must start with https:// (got ${url.protocol}//): Cloud Elements posts events only to secure addresses.`,
    };
  }
  if (isEventsEndpoint(url)) {
    return {
      problem:
        "That is a Cloud Elements events URL, which goes into Freshdesk. The callback URL is your own app's address where Cloud Elements forwards the events.",
    };
  }
  if (url.username || url.password) return { problem: 'Do not put a user name or password inside the callback URL.' };
  const hash = text.indexOf('#');
  if (hash !== -1) {
    const fragment = text.slice(hash);
    const shown = fragment.length > 30 ? `${fragment.slice(0, 27)}...` : fragment;
    return {
      problem: `The callback URL has a fragment (${shown}): the part after # is never sent to a server, so Cloud Elements would post without it. Remove it, or put that information in the path or query (?).`,
    };
  }
  return { url: url.href };
}

/** A copy of the body safe to display: secret configuration values replaced by a mask. */
export function maskInstanceBody(body: InstanceRequestBody): InstanceRequestBody {
  const secret = secretConfigKeys(body.element.key);
  const configuration = Object.fromEntries(
    Object.entries(body.configuration).map(([key, value]) => [key, secret.includes(key) ? MASK : value]),
  );
  return { ...body, configuration };
}

/** An equivalent curl command with every secret masked, for users who want to see or script the call. */
export function curlPreview(apiBase: string, body: InstanceRequestBody): string {
  const json = JSON.stringify(maskInstanceBody(body), null, 2).replace(/'/g, "'\\''");
  return [
    `curl -X POST '${apiBase}/instances' \\`,
    `  -H 'Authorization: User ${MASK}, Organization ${MASK}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${json}'`,
  ].join('\n');
}
