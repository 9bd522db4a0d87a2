import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretVault } from './secret-vault.js';

/**
 * The keychain failures a user meets, on real parts: a private D-Bus session
 * whose gnome-keyring holds a login keyring locked with another password, and
 * no D-Bus session at all. libsecret binds to one bus per process, and vitest
 * runs each test file in its own process, so this file points the process at
 * its own bus before keytar is first loaded.
 */
const secret = { userSecret: 'locked-user-Zq8/+=', orgSecret: 'locked-org-Yw7/+=' };
const dataHome = mkdtempSync(join(tmpdir(), 'fdea-locked-'));
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) child.kill();
});

function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile() && readFileSync(path).includes(needle)) hits.push(path);
  }
  return hits;
}

describe('a keyring locked with another password', () => {
  it('says the keyring is locked, and nothing lands on disk in plain text', async () => {
    const address = await privateBusWithLockedKeyring(dataHome);
    process.env['DBUS_SESSION_BUS_ADDRESS'] = address;
    const vault = createSecretVault({ service: 'fdea-locked-test', timeoutMs: 5_000, platform: 'linux' });
    const error = await vault.saveCloudElements('api.cloud-elements.com', secret).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    console.log(`locked keyring message: ${(error as Error).message}`);
    expect((error as Error).message).toMatch(/keyring is locked/);
    expect((error as Error).message).toMatch(/Unlock your login keyring/);
    expect(filesContaining(dataHome, secret.userSecret)).toEqual([]);
    expect(filesContaining(dataHome, secret.orgSecret)).toEqual([]);
  });
});

/** Starts dbus-daemon, then gnome-keyring twice: once to create the keyring with one password, once locked. */
async function privateBusWithLockedKeyring(home: string): Promise<string> {
  const bus = spawn('dbus-daemon', ['--session', '--print-address=1', '--nofork'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  started.push(bus);
  const address = await new Promise<string>((resolve, reject) => {
    bus.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    bus.once('error', reject);
  });
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, XDG_DATA_HOME: home, XDG_RUNTIME_DIR: home };
  // First daemon: creates login.keyring protected by "another-password", then leaves.
  const first = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--foreground'], {
    env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  first.stdin?.end('another-password');
  await waitForFile(join(home, 'keyrings', 'login.keyring'));
  first.kill();
  await new Promise((resolve) => first.once('exit', resolve));
  // Second daemon: the keyring file exists but nobody unlocks it.
  const second = spawn('gnome-keyring-daemon', ['--components=secrets', '--foreground'], { env, stdio: 'ignore' });
  started.push(second);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return address;
}

async function waitForFile(path: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      statSync(path);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`gnome-keyring did not create ${path}`);
}
