import { accept, refuse, type Checked } from './errors.js';

/** Every Cloud Elements / SAP Open Connectors API lives under this path on its host. */
export const API_PATH = '/elements/api-v2';

export interface Environment {
  id: string;
  label: string;
  host: string;
}

/**
 * Known environments. The SAP region list is not exhaustive (see the
 * reference), so a custom host is always possible.
 */
export const ENVIRONMENTS: readonly Environment[] = [
  { id: 'us', label: 'Cloud Elements US', host: 'api.cloud-elements.com' },
  { id: 'eu', label: 'Cloud Elements EU', host: 'api.cloud-elements.co.uk' },
  { id: 'staging', label: 'Cloud Elements staging', host: 'staging.cloud-elements.com' },
  { id: 'sap-us2', label: 'SAP Open Connectors US2', host: 'api.openconnectors.us2.ext.hana.ondemand.com' },
  { id: 'sap-us10', label: 'SAP Open Connectors US10', host: 'api.openconnectors.us10.ext.hana.ondemand.com' },
  { id: 'sap-eu10', label: 'SAP Open Connectors EU10', host: 'api.openconnectors.eu10.ext.hana.ondemand.com' },
  { id: 'sap-trial', label: 'SAP Open Connectors trial', host: 'api.openconnectors.ext.hanatrial.ondemand.com' },
];

export const DEFAULT_HOST = 'api.cloud-elements.com';

/** An API base like `https://api.cloud-elements.com/elements/api-v2`, with no trailing slash. */
export type ApiBase = string & { readonly __brand: 'ApiBase' };

const HOST_PATTERN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/;

/** True for 127.0.0.0/8, localhost and [::1]: the only hosts where plain http is allowed (tests, emulators). */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/** `--host`: a bare host name such as `api.cloud-elements.co.uk` (a scheme or path is forgiven). */
export function apiBaseFromHost(input: string): Checked<ApiBase> {
  const text = input.trim().toLowerCase();
  if (text === '') return refuse('The host is empty: enter a host such as api.cloud-elements.com.');
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) return apiBaseFromUrl(text);
  const host = text.replace(/\/+$/, '');
  const withPath = host.indexOf('/');
  if (withPath !== -1) return apiBaseFromUrl(`https://${host}`);
  if (!HOST_PATTERN.test(host)) {
    return refuse(
      `"${shorten(input.trim())}" is not a host name: enter something like api.cloud-elements.com, without spaces.`,
    );
  }
  return accept(`https://${host}${API_PATH}` as ApiBase);
}

/**
 * `--base-url`: a whole API base such as `https://api.cloud-elements.co.uk/elements/api-v2/`.
 * A bare origin gets the API path added; plain http is refused except on loopback.
 */
export function apiBaseFromUrl(input: string): Checked<ApiBase> {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(`"${shorten(text)}" is not a URL: enter something like https://api.cloud-elements.com${API_PATH}.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return refuse(
      `${url.protocol.replace(':', '')}:// is not allowed for ${url.host}: the Cloud Elements API must be reached over https.`,
    );
  }
  if (url.username || url.password) return refuse('The API URL must not contain a user name or password.');
  if (url.search || url.hash) return refuse('The API URL must not contain a query (?) or a fragment (#).');
  const path = url.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  if (path !== '' && !path.endsWith(API_PATH)) {
    return refuse(`The API URL's path should end with ${API_PATH} (got ${path}).`);
  }
  return accept(`${url.protocol}//${url.host}${path === '' ? API_PATH : path}` as ApiBase);
}

/** Picks the base from CLI-style options: `--base-url` wins, then `--host`, else the US host. */
export function resolveApiBase(options: { host?: string | undefined; baseUrl?: string | undefined }): Checked<ApiBase> {
  if (options.host !== undefined && options.baseUrl !== undefined) {
    return refuse('Give either --host or --base-url, not both.');
  }
  if (options.baseUrl !== undefined) return apiBaseFromUrl(options.baseUrl);
  return apiBaseFromHost(options.host ?? DEFAULT_HOST);
}

/** The host part of an API base (with port when there is one), for messages and keychain entries. */
export function hostOf(base: ApiBase): string {
  return new URL(base).host;
}

/** Quotes at most 60 characters of what the user typed, so a message stays readable. */
function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
