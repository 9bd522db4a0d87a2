import { isLoopbackHost } from './api-base.js';
import { accept, refuse, type Checked } from './errors.js';
import { freshdeskUrl, normalizeSubdomain } from './subdomain.js';

/** Where the Freshdesk API v2 lives, as an origin with no trailing slash: `https://acme.freshdesk.com`. */
export type FreshdeskBase = string & { readonly __brand: 'FreshdeskBase' };

const FRESHDESK_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.freshdesk\.com$/;

/**
 * `--freshdesk-base-url`: an account origin such as `https://acme.freshdesk.com/`
 * (a trailing `/api/v2` is forgiven). Remote hosts must be `<name>.freshdesk.com`
 * over https (the API does not answer on custom CNAMEs); plain http only on
 * loopback, for tests and local emulators.
 */
export function freshdeskBaseFromUrl(input: string): Checked<FreshdeskBase> {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(`"${text}" is not a URL: enter something like https://acme.freshdesk.com.`);
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return refuse(
      `${url.protocol.replace(':', '')}:// is not allowed for ${url.host}: the Freshdesk API must be reached over https.`,
    );
  }
  if (url.username || url.password) return refuse('The Freshdesk URL must not contain a user name or password.');
  if (url.search || url.hash) return refuse('The Freshdesk URL must not contain a query (?) or a fragment (#).');
  const path = url.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  if (path !== '' && path !== '/api/v2') {
    return refuse(
      `The Freshdesk URL should be the account's address only, like https://acme.freshdesk.com (got the path ${path}).`,
    );
  }
  if (!loopback && !FRESHDESK_HOST.test(url.hostname)) {
    return refuse(
      `${url.hostname} is not a Freshdesk address: the API answers only on name.freshdesk.com (not on a custom domain), so use https://<your subdomain>.freshdesk.com.`,
    );
  }
  return accept(`${url.protocol}//${url.host}` as FreshdeskBase);
}

/** Picks the Freshdesk API origin from CLI-style options: `--freshdesk-base-url` wins, else `https://<subdomain>.freshdesk.com`. */
export function resolveFreshdeskBase(options: {
  subdomain?: string | undefined;
  baseUrl?: string | undefined;
}): Checked<FreshdeskBase> {
  if (options.baseUrl !== undefined) return freshdeskBaseFromUrl(options.baseUrl);
  if (options.subdomain === undefined) return refuse('Give the Freshdesk subdomain (the name in name.freshdesk.com).');
  const subdomain = normalizeSubdomain(options.subdomain);
  if (!subdomain.ok) return subdomain;
  return accept(freshdeskUrl(subdomain.value) as FreshdeskBase);
}
