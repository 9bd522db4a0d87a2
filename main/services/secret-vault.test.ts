import { describe, expect, it } from 'vitest';
import { createSecretVault, type KeychainBackend } from './secret-vault.js';

/**
 * Against the real Secret Service of the session (gnome-keyring, started
 * unlocked by .ci/run). Each test uses its own service name so runs never
 * see each other's entries.
 */
const service = `fdea-test-${process.pid}-${Date.now()}`;
const vault = createSecretVault({ service });

describe('secret vault on the real keychain', () => {
  it('is usable in this session', async () => {
    expect(await vault.check()).toEqual({ usable: true });
  });

  it('stores, reads and forgets Cloud Elements secrets, two hosts side by side', async () => {
    const us = { userSecret: 'u/S+cret=1', orgSecret: 'o/S+cret==' };
    const eu = { userSecret: 'eu-user', orgSecret: 'eu-org' };
    await vault.saveCloudElements('api.cloud-elements.com', us);
    await vault.saveCloudElements('api.cloud-elements.co.uk', eu);
    expect(await vault.readCloudElements('api.cloud-elements.com')).toEqual(us);
    expect(await vault.readCloudElements('API.cloud-elements.co.uk')).toEqual(eu);
    expect(await vault.forgetCloudElements('api.cloud-elements.com')).toBe(true);
    expect(await vault.readCloudElements('api.cloud-elements.com')).toBeUndefined();
    expect(await vault.readCloudElements('api.cloud-elements.co.uk')).toEqual(eu);
    expect(await vault.forgetCloudElements('api.cloud-elements.com')).toBe(false);
    await vault.forgetCloudElements('api.cloud-elements.co.uk');
  });

  it('keeps non-ASCII secrets byte for byte', async () => {
    const secret = { kind: 'password' as const, username: 'zoë@example.com', password: 'pässwörd-日本語-🔑' };
    await vault.saveFreshdesk('acme', secret);
    expect(await vault.readFreshdesk('acme')).toEqual(secret);
    await vault.saveFreshdesk('acme', { kind: 'apiKey', apiKey: 'key-2' });
    expect(await vault.readFreshdesk('acme')).toEqual({ kind: 'apiKey', apiKey: 'key-2' });
    expect(await vault.forgetFreshdesk('acme')).toBe(true);
    expect(await vault.readFreshdesk('acme')).toBeUndefined();
  });
});

describe('secret vault when the keychain does not answer', () => {
  it('gives up after the timeout with a message that says what to do', async () => {
    const hanging: KeychainBackend = {
      getPassword: () => new Promise(() => undefined),
      setPassword: () => new Promise(() => undefined),
      deletePassword: () => new Promise(() => undefined),
    };
    const slow = createSecretVault({ backend: hanging, timeoutMs: 200, platform: 'linux' });
    const started = Date.now();
    await expect(slow.saveCloudElements('api.cloud-elements.com', { userSecret: 'u', orgSecret: 'o' })).rejects.toThrow(
      /did not answer within .*Unlock your login keyring/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await slow.check()).toMatchObject({ usable: false });
  });

  it('explains a keychain module that cannot load', async () => {
    const broken = createSecretVault({
      backend: () => Promise.reject(new Error('Cannot find module keytar.node')),
      timeoutMs: 500,
    });
    const result = await broken.check();
    expect(result.usable).toBe(false);
  });
});
