/**
 * `freshdesk-events`: the command-line tool, under plain Node (nothing here
 * may reach Electron). Parsing and output live in run.ts; this file only
 * wires the process: arguments, environment, streams, Ctrl-C and exit status.
 */
import { runCli } from './run.js';

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

runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
}, fail);
