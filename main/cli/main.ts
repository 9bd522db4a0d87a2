/**
 * `freshdesk-events`: the command-line tool, under plain Node (nothing here
 * may reach Electron). Parsing and output live in run.ts; this file only
 * wires the process: arguments, environment, streams, keychain, Ctrl-C and exit status.
 */
import { createInterface } from 'node:readline';
import { read } from 'read';
import { createSecretVault } from '../services/secret-vault.js';
import { runCli } from './run.js';
import type { SecretReader } from './secrets.js';

const controller = new AbortController();
// The first Ctrl-C cancels cleanly (and says whether an instance may exist); a second one kills.
process.once('SIGINT', () => controller.abort());

// `freshdesk-events instances | head` closes the pipe early: that is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

const fail = (): void => {
  process.stderr.write('error: unexpected internal failure in freshdesk-events: please report it.\n');
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

/** A terminal gets a prompt without echo (on stderr, so stdout stays clean); a pipe gives one secret per line. */
function secretReader(): SecretReader {
  if (process.stdin.isTTY) {
    return { read: (prompt) => read({ prompt, silent: true, replace: '', output: process.stderr }) };
  }
  let lines: AsyncIterator<string> | undefined;
  return {
    async read() {
      lines ??= createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
      const next = await lines.next();
      return next.done ? '' : next.value.replace(/\r$/, '');
    },
  };
}

runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
  vault: createSecretVault(),
  secrets: secretReader(),
}).then((code) => {
  process.exitCode = code;
  // The keychain's D-Bus connection can keep Node alive after the answer: leave once the output is flushed.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}, fail);
