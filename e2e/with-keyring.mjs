#!/usr/bin/env node
/**
 * Runs a command where the OS keychain tests can reach a Secret Service.
 * On Linux without a D-Bus session (a server, a container, CI), it starts a
 * private session with a fresh, unlocked gnome-keyring in temporary folders,
 * so the tests never touch the user's own keyring. Elsewhere, and inside a
 * desktop session, it runs the command as it is.
 *
 *   node e2e/with-keyring.mjs npm run test:all
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node e2e/with-keyring.mjs <command> [args...]');
  process.exit(2);
}

const has = (program) => spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
const needsSession = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;

let result;
if (needsSession && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  console.log('No D-Bus session: running the tests in a private one with a fresh, unlocked gnome-keyring.');
  const env = {
    ...process.env,
    XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'fdea-keyring-data-')),
    XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'fdea-keyring-cache-')),
  };
  const script = 'printf test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"';
  result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, 'sh', ...command], { stdio: 'inherit', env });
} else {
  if (needsSession) {
    console.log(
      'No D-Bus session and no dbus-run-session/gnome-keyring-daemon: the keychain tests will fail. ' +
        'Install them (Debian: dbus gnome-keyring), or run the tests from a desktop session.',
    );
  }
  result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', shell: process.platform === 'win32' });
}
process.exit(result.status ?? 1);
