import { accept, refuse, type Checked } from './errors.js';

/** The bare Freshdesk subdomain (`acme` for https://acme.freshdesk.com). */
export type Subdomain = string & { readonly __brand: 'Subdomain' };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_LABEL = 63;
const EMPTY = 'The Freshdesk subdomain is empty: enter the name before .freshdesk.com, like acme.';
/** Names under freshdesk.com that are Freshdesk's own sites, not accounts. */
const NOT_ACCOUNTS: readonly string[] = ['www'];

/**
 * Turns the subdomain as people type it (`acme`, `acme.freshdesk.com`,
 * `https://acme.freshdesk.com/a/tickets/42`, ` ACME `) into `acme`.
 */
export function normalizeSubdomain(input: string): Checked<Subdomain> {
  const text = input.trim().toLowerCase();
  if (text === '') return refuse(EMPTY);
  if (/\s/.test(text))
    return refuse(`"${input.trim()}" has spaces inside: a subdomain is one word, like acme or acme-support.`);
  const host = text
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d*$/, '')
    .replace(/\.$/, '');
  // `https://` alone (or `https:`): a scheme with nothing after it.
  if (host === '' || /^[a-z][a-z0-9+.-]*:\/*$/.test(text)) return refuse(EMPTY);
  if (/(^|\.)(my)?freshworks\.com$/.test(host)) {
    const name = host.replace(/\.?(my)?freshworks\.com$/, '');
    const example =
      LABEL.test(name) && !NOT_ACCOUNTS.includes(name)
        ? ` (if your helpdesk is ${name}.freshdesk.com, enter ${name})`
        : '';
    return refuse(
      `${host} is the Freshworks address, not the helpdesk's: enter the name of your name.freshdesk.com address${example}.`,
    );
  }
  if (host.endsWith('.freshservice.com')) {
    return refuse(
      `${host} is a Freshservice address, not Freshdesk: enter your Freshdesk subdomain (the name in name.freshdesk.com).`,
    );
  }
  let label = host;
  if (host.endsWith('.freshdesk.com')) label = host.slice(0, -'.freshdesk.com'.length);
  else if (host === 'freshdesk.com')
    return refuse('freshdesk.com alone has no subdomain: enter the name in name.freshdesk.com.');
  else if (host.includes('.')) {
    return refuse(
      `${host} looks like a custom domain: ask for the name.freshdesk.com address that Freshdesk shows under Admin > Portals / Helpdesk settings, and enter that name.`,
    );
  }
  if (NOT_ACCOUNTS.includes(label)) {
    return refuse(
      `${label}.freshdesk.com is Freshdesk's own website, not an account: enter the name in your helpdesk's address name.freshdesk.com.`,
    );
  }
  if (label.length > MAX_LABEL) {
    return refuse(
      `"${label.slice(0, 20)}..." is too long (at most ${MAX_LABEL} characters): a subdomain is the short name in name.freshdesk.com, and this one has ${label.length}.`,
    );
  }
  if (!LABEL.test(label)) {
    return refuse(
      `"${label}" is not a valid subdomain: use letters, digits and hyphens, not starting or ending with a hyphen.`,
    );
  }
  return accept(label as Subdomain);
}

/** `https://acme.freshdesk.com`: the account's home, for previews and the default Freshdesk API base. */
export function freshdeskUrl(subdomain: Subdomain): string {
  return `https://${subdomain}.freshdesk.com`;
}
