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

/** Exit status when the output could not be written (a full disk, a closed file): as for other I/O failures. */
const OUTPUT_FAILURE = 4;
let outputFailed = false;

/**
 * A failed write to stdout. `freshdesk-events instances | head` closes the pipe
 * early: that EPIPE is not a failure. Anything else (`> /dev/full`: ENOSPC)
 * is: one error line, exit 4, never 0 with the output lost.
 */
function outputError(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') {
    process.exit(process.exitCode ?? 0);
    return;
  }
  if (outputFailed) return;
  outputFailed = true;
  const detail = error.message.replace(/, write$/, '');
  process.stderr.write(`error: Could not write the output (${detail}): check where standard output goes.\n`, () =>
    process.exit(OUTPUT_FAILURE),
  );
}
process.stdout.on('error', outputError);

const fail = (): void => {
  process.stderr.write('error: Unexpected internal failure in freshdesk-events: please report it.\n');
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
  stdout: (text) => {
    process.stdout.write(text, (error) => {
      if (error) outputError(error);
    });
  },
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
  vault: createSecretVault(),
  secrets: secretReader(),
}).then((code) => {
  process.exitCode = code;
  // The keychain's D-Bus connection can keep Node alive after the answer: leave once the output is flushed.
  process.stdout.write('', (error) => {
    if (error) outputError(error);
    else if (!outputFailed) process.stderr.write('', () => process.exit(code));
  });
}, fail);
