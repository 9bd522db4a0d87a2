import { AppError } from '../core/errors.js';

/**
 * Secrets in the OS keychain (keytar): one entry per Cloud Elements host
 * (both secrets together) and one per Freshdesk subdomain. Nothing here ever
 * falls back to a file: when the keychain cannot be used, callers hold the
 * secrets in memory for the current run only.
 */
export const KEYCHAIN_SERVICE = 'Freshdesk Events Setup Assistant';
const DEFAULT_TIMEOUT_MS = 5_000;

/** The three keytar calls the vault uses; keytar itself in the app, the same shape in tests. */
export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface CloudElementsSecrets {
  userSecret: string;
  orgSecret: string;
}

export type FreshdeskSecret =
  { kind: 'apiKey'; apiKey: string } | { kind: 'password'; username: string; password: string };

export interface SecretVault {
  /** Writes and reads nothing: tells whether the keychain answers, and if not why and how to fix it. */
  check(): Promise<{ usable: true } | { usable: false; message: string }>;
  saveCloudElements(host: string, secrets: CloudElementsSecrets): Promise<void>;
  readCloudElements(host: string): Promise<CloudElementsSecrets | undefined>;
  forgetCloudElements(host: string): Promise<boolean>;
  saveFreshdesk(subdomain: string, secret: FreshdeskSecret): Promise<void>;
  readFreshdesk(subdomain: string): Promise<FreshdeskSecret | undefined>;
  forgetFreshdesk(subdomain: string): Promise<boolean>;
}

export interface VaultOptions {
  /** Defaults to keytar, loaded on first use so a missing native module is a message, not a crash at start. */
  backend?: KeychainBackend | (() => Promise<KeychainBackend>);
  service?: string;
  timeoutMs?: number;
  platform?: NodeJS.Platform;
}

export function createSecretVault(options: VaultOptions = {}): SecretVault {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const platform = options.platform ?? process.platform;
  const given = options.backend;
  let backend: Promise<KeychainBackend> | undefined;

  const loadBackend = (): Promise<KeychainBackend> => {
    backend ??= (typeof given === 'function' ? given() : given ? Promise.resolve(given) : loadKeytar()).catch(
      (error: unknown) => {
        backend = undefined;
        throw error;
      },
    );
    return backend;
  };

  /** Runs one keychain call under the timeout; every failure becomes a 'keychain' AppError with the fix. */
  async function call<T>(action: string, run: (keychain: KeychainBackend) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AppError(
              'keychain',
              `The OS keychain did not answer within ${Math.round(timeoutMs / 1000)} s while trying to ${action}. ` +
                unlockHint(platform),
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([loadBackend().then(run), timeout]);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('keychain', `Could not ${action}: ${explainKeychainError(error, platform)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  const readJson = async (account: string, action: string): Promise<unknown> => {
    const stored = await call(action, (keychain) => keychain.getPassword(service, account));
    if (stored === null) return undefined;
    try {
      return JSON.parse(stored) as unknown;
    } catch {
      return undefined;
    }
  };

  return {
    async check() {
      try {
        await call('reach the keychain', (keychain) => keychain.getPassword(service, 'health-check'));
        return { usable: true };
      } catch (error) {
        return { usable: false, message: error instanceof Error ? error.message : 'The OS keychain is not usable.' };
      }
    },
    async saveCloudElements(host, secrets) {
      const value = JSON.stringify({ userSecret: secrets.userSecret, orgSecret: secrets.orgSecret });
      await call('save the Cloud Elements secrets', (keychain) =>
        keychain.setPassword(service, ceAccount(host), value),
      );
    },
    async readCloudElements(host) {
      const value = await readJson(ceAccount(host), 'read the Cloud Elements secrets');
      return isCloudElementsSecrets(value) ? value : undefined;
    },
    forgetCloudElements: (host) =>
      call('forget the Cloud Elements secrets', (keychain) => keychain.deletePassword(service, ceAccount(host))),
    async saveFreshdesk(subdomain, secret) {
      const value = JSON.stringify(secret);
      await call('save the Freshdesk credentials', (keychain) =>
        keychain.setPassword(service, freshdeskAccount(subdomain), value),
      );
    },
    async readFreshdesk(subdomain) {
      const value = await readJson(freshdeskAccount(subdomain), 'read the Freshdesk credentials');
      return isFreshdeskSecret(value) ? value : undefined;
    },
    forgetFreshdesk: (subdomain) =>
      call('forget the Freshdesk credentials', (keychain) =>
        keychain.deletePassword(service, freshdeskAccount(subdomain)),
      ),
  };
}

const ceAccount = (host: string): string => `cloud-elements:${host.toLowerCase()}`;
const freshdeskAccount = (subdomain: string): string => `freshdesk:${subdomain.toLowerCase()}`;

async function loadKeytar(): Promise<KeychainBackend> {
  try {
    const module = (await import('keytar')) as { default?: KeychainBackend } & Partial<KeychainBackend>;
    const keytar = module.default ?? (module as KeychainBackend);
    if (typeof keytar.getPassword !== 'function') throw new Error('keytar has no getPassword');
    return keytar;
  } catch {
    throw new AppError(
      'keychain',
      'The keychain module (keytar) could not be loaded: reinstall the app (developers: npm rebuild keytar, which needs libsecret-1-dev on Linux).',
    );
  }
}

/** Turns keytar's native messages into what is wrong and how to fix it. The message never holds a secret: keytar errors do not quote values. */
export function explainKeychainError(error: unknown, platform: NodeJS.Platform): string {
  const text = error instanceof Error ? error.message : String(error);
  if (
    /autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|unsupported transport\W+disabled|Failed to connect to socket/i.test(text)
  ) {
    return 'there is no D-Bus session, so no keychain can be reached. Run the app from a desktop session (or start one with dbus-run-session and gnome-keyring-daemon --unlock).';
  }
  if (/org\.freedesktop\.secrets was not provided|ServiceUnknown/i.test(text)) {
    return 'no Secret Service is running. Install and start gnome-keyring (or enable the Secret Service in KeePassXC or KWallet).';
  }
  if (/locked collection|Object does not exist at path|prompt|dismissed/i.test(text)) {
    return `the keyring is locked. ${unlockHint(platform)}`;
  }
  if (/passphrase you entered is not correct/i.test(text)) {
    return 'macOS refused access to the login keychain. Open Keychain Access, lock and unlock the "login" keychain, then try again.';
  }
  if (/stub received bad data|CredWrite/i.test(text)) {
    return 'Windows Credential Manager refused the entry. Remove old entries in Credential Manager, then try again.';
  }
  return `the OS keychain reported an error (${text.split('\n')[0]?.slice(0, 160) ?? 'unknown'}). Make sure a keychain service runs (on Linux: gnome-keyring, KeePassXC or KWallet with the Secret Service) and is unlocked.`;
}

function unlockHint(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Unlock the "login" keychain in Keychain Access, then try again.';
  if (platform === 'win32') return 'Make sure Windows Credential Manager is available, then try again.';
  return 'Unlock your login keyring (Passwords and Keys / Seahorse, or gnome-keyring-daemon --unlock), then try again.';
}

function isCloudElementsSecrets(value: unknown): value is CloudElementsSecrets {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['userSecret'] === 'string' && typeof record['orgSecret'] === 'string';
}

function isFreshdeskSecret(value: unknown): value is FreshdeskSecret {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record['kind'] === 'apiKey') return typeof record['apiKey'] === 'string';
  if (record['kind'] === 'password')
    return typeof record['username'] === 'string' && typeof record['password'] === 'string';
  return false;
}
