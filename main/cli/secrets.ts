import { hostOf, type ApiBase } from '../core/api-base.js';
import { AppError } from '../core/errors.js';
import type { CloudElementsCredentials } from '../services/cloud-elements.js';
import type { FreshdeskSecret, SecretVault } from '../services/secret-vault.js';
import { PROGRAM } from './help.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Cloud Elements secrets for a command: CE_USER_SECRET and CE_ORG_SECRET when
 * both are set, else what `login` saved in the OS keychain for this host.
 */
export async function cloudElementsCredentials(
  env: Env,
  vault: SecretVault,
  apiBase: ApiBase,
): Promise<{ credentials: CloudElementsCredentials; source: 'environment' | 'keychain' }> {
  const userSecret = env['CE_USER_SECRET'] ?? '';
  const orgSecret = env['CE_ORG_SECRET'] ?? '';
  if (userSecret !== '' && orgSecret !== '') return { credentials: { userSecret, orgSecret }, source: 'environment' };
  const host = hostOf(apiBase);
  const login = `${PROGRAM} login${host === 'api.cloud-elements.com' ? '' : ` --host ${host}`}`;
  if (userSecret !== '' || orgSecret !== '') {
    const missing = userSecret === '' ? 'CE_USER_SECRET' : 'CE_ORG_SECRET';
    throw new AppError(
      'credentials',
      `${missing} is not set: set both CE_USER_SECRET and CE_ORG_SECRET, or unset both to use the secrets saved by ${login}.`,
    );
  }
  let saved: CloudElementsCredentials | undefined;
  try {
    saved = await vault.readCloudElements(host);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'the OS keychain is not usable';
    throw new AppError('credentials', `${reason} Without the keychain, set CE_USER_SECRET and CE_ORG_SECRET.`);
  }
  if (!saved)
    throw new AppError(
      'credentials',
      `no Cloud Elements secrets for ${host}: run ${login}, or set CE_USER_SECRET and CE_ORG_SECRET.`,
    );
  return { credentials: saved, source: 'keychain' };
}

/** The Freshdesk API key: --api-key, else FRESHDESK_API_KEY, else the keychain entry for the subdomain. */
export async function freshdeskSecret(
  flag: string | undefined,
  env: Env,
  vault: SecretVault,
  subdomain: string | undefined,
): Promise<FreshdeskSecret | undefined> {
  const given = flag ?? env['FRESHDESK_API_KEY'];
  if (given !== undefined && given !== '') return { kind: 'apiKey', apiKey: given };
  if (subdomain === undefined) return undefined;
  return vault.readFreshdesk(subdomain).catch(() => undefined);
}

/** Reads one secret: without echo from a terminal, or as the next line of standard input. */
export interface SecretReader {
  read(prompt: string): Promise<string>;
}
