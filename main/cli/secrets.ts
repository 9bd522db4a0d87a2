import { hostOf, type ApiBase } from '../core/api-base.js';
import { AppError, type FieldProblem } from '../core/errors.js';
import { cleanSecret } from '../core/secrets.js';
import type { CloudElementsCredentials } from '../services/cloud-elements.js';
import type { FreshdeskSecret, SecretVault } from '../services/secret-vault.js';
import { PROGRAM } from './help.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Cloud Elements secrets for a command: CE_USER_SECRET and CE_ORG_SECRET when
 * both are set (cleaned: whitespace around them dropped, wrong pastes refused
 * as bad input), else what `login` saved in the OS keychain for this host.
 */
export async function cloudElementsCredentials(
  env: Env,
  vault: SecretVault,
  apiBase: ApiBase,
): Promise<{ credentials: CloudElementsCredentials; source: 'environment' | 'keychain' }> {
  const userSecret = env['CE_USER_SECRET'] ?? '';
  const orgSecret = env['CE_ORG_SECRET'] ?? '';
  if (userSecret !== '' && orgSecret !== '') {
    const user = cleanSecret(userSecret, 'userSecret');
    const org = cleanSecret(orgSecret, 'orgSecret');
    const problems: FieldProblem[] = [];
    if (!user.ok) problems.push({ field: 'CE_USER_SECRET', message: user.message });
    if (!org.ok) problems.push({ field: 'CE_ORG_SECRET', message: org.message });
    if (!user.ok || !org.ok) {
      throw new AppError('invalid-input', problems.map((problem) => `${problem.field}: ${problem.message}`).join(' '), {
        problems,
      });
    }
    return { credentials: { userSecret: user.value, orgSecret: org.value }, source: 'environment' };
  }
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
      `No Cloud Elements secrets for ${host}: run ${login}, or set CE_USER_SECRET and CE_ORG_SECRET.`,
    );
  return { credentials: saved, source: 'keychain' };
}

/**
 * The Freshdesk API key as given: --api-key, else FRESHDESK_API_KEY, else the
 * keychain entry for the subdomain, with where it came from (for messages).
 * buildInstanceRequest cleans and checks it.
 */
export async function freshdeskSecret(
  flag: string | undefined,
  env: Env,
  vault: SecretVault,
  subdomain: string | undefined,
): Promise<{ secret: FreshdeskSecret; source: 'flag' | 'environment' | 'keychain' } | undefined> {
  if (flag !== undefined && flag.trim() !== '') return { secret: { kind: 'apiKey', apiKey: flag }, source: 'flag' };
  const fromEnv = env['FRESHDESK_API_KEY'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { secret: { kind: 'apiKey', apiKey: fromEnv }, source: 'environment' };
  }
  if (subdomain === undefined) return undefined;
  const saved = await vault.readFreshdesk(subdomain).catch(() => undefined);
  return saved ? { secret: saved, source: 'keychain' } : undefined;
}

/** Reads one secret: without echo from a terminal, or as the next line of standard input. */
export interface SecretReader {
  read(prompt: string): Promise<string>;
}
