/**
 * The only addresses the app opens in the user's browser: a Freshdesk account
 * over https, and the Cloud Elements / SAP Open Connectors documentation.
 */
export const DOCUMENTATION_HOSTS: readonly string[] = [
  'docs.cloud-elements.com',
  'developers.cloud-elements.com',
  'help.openconnectors.ext.hana.ondemand.com',
  'help.sap.com',
];

const FRESHDESK_ACCOUNT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.freshdesk\.com$/;

export function isAllowedExternalUrl(input: string): boolean {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return false;
  return FRESHDESK_ACCOUNT.test(url.hostname) || DOCUMENTATION_HOSTS.includes(url.hostname);
}
