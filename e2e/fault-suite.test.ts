import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { apiBaseFromUrl, type ApiBase } from '../main/core/api-base.js';
import { AppError } from '../main/core/errors.js';
import { buildInstanceRequest, type InstanceRequestBody } from '../main/core/instance-request.js';
import { createCloudElementsClient } from '../main/services/cloud-elements.js';
import {
  DEFAULT_ACCOUNT,
  startCloudElementsEmulator,
  type CloudElementsEmulator,
  type FaultMode,
  type FaultOptions,
} from './emulators/cloud-elements.js';

/**
 * Every Cloud Elements fault mode, through the client and through the CLI as
 * a child process, creating one instance each time. Counts what must never
 * happen: a crash (anything but a typed error, a stack trace, exit 1), a
 * duplicate instance, an input changed or lost, an unclear message. The
 * wizard's run of the same modes is e2e/faults.spec.ts.
 */
const CLI = 'out/cli/freshdesk-events.js';
const TIMEOUT_MS = 1_500;

const FAULTS: { mode: FaultMode; options?: FaultOptions }[] = [
  { mode: 'server-error' },
  { mode: 'server-error', options: { count: 2 } },
  { mode: 'bad-gateway' },
  { mode: 'garbled' },
  { mode: 'drop-before-create' },
  { mode: 'drop-after-create' },
  { mode: 'delay-after-create', options: { delayMs: TIMEOUT_MS + 1_000 } },
  { mode: 'rate-limited', options: { requests: 'all', retryAfterSeconds: 120 } },
  { mode: 'rate-limited', options: { requests: 'all', count: 1, retryAfterSeconds: 1 } },
  { mode: 'slow-trickle', options: { requests: 'all', delayMs: 400 } },
];

const tally = { tried: 0, crashes: 0, duplicates: 0, inputsLost: 0, unclear: 0 };
const secrets = [DEFAULT_ACCOUNT.userSecret, DEFAULT_ACCOUNT.orgSecret, 'fault-suite-key'];

/** Clear: says what happened and what to do, no internal wording, no secret. */
function isClear(message: string): boolean {
  return (
    message.length >= 20 &&
    /try again|check|wait|safe|look|instance list|connection|host/i.test(message) &&
    !/inside the app|undefined|\[object|TypeError|ReferenceError/.test(message) &&
    secrets.every((secret) => !message.includes(secret))
  );
}

function body(name: string): InstanceRequestBody {
  const request = buildInstanceRequest({
    name,
    tags: ['faults'],
    subdomain: 'acme',
    auth: { kind: 'apiKey', apiKey: 'fault-suite-key' },
    callbackUrl: 'https://app.example.com/events',
  });
  if (!request.ok) throw new Error('the suite builds a valid body');
  return request.body;
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env['PATH'] ?? '',
      CE_USER_SECRET: DEFAULT_ACCOUNT.userSecret,
      CE_ORG_SECRET: DEFAULT_ACCOUNT.orgSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function withEmulator(run: (emulator: CloudElementsEmulator, apiBase: ApiBase) => Promise<void>): Promise<void> {
  const emulator = await startCloudElementsEmulator();
  try {
    const base = apiBaseFromUrl(emulator.baseUrl);
    if (!base.ok) throw new Error(base.message);
    await run(emulator, base.value);
    tally.tried += 1;
    if (emulator.instances().length > 1) tally.duplicates += 1;
  } finally {
    await emulator.close();
  }
}

afterAll(() => {
  console.log(
    `fault suite (client + CLI): ${tally.tried} faults tried, ${tally.crashes} crashes, ${tally.duplicates} duplicate instances, ${tally.inputsLost} inputs lost, ${tally.unclear} unclear messages`,
  );
});

describe('every fault through the client', () => {
  it.each(FAULTS)('$mode $options', async ({ mode, options }) => {
    await withEmulator(async (emulator, apiBase) => {
      emulator.setFault(mode, options);
      const request = body('Fault suite');
      const before = JSON.stringify(request);
      const client = createCloudElementsClient({
        apiBase,
        credentials: { userSecret: DEFAULT_ACCOUNT.userSecret, orgSecret: DEFAULT_ACCOUNT.orgSecret },
        timeoutMs: TIMEOUT_MS,
        reconcileRetryDelayMs: 50,
        retry: { retries: 2, baseDelayMs: 20, maxDelayMs: 2_000 },
      });
      try {
        const created = await client.createInstance(request);
        expect(emulator.instances().map((instance) => instance.id)).toEqual([created.id]);
      } catch (error) {
        if (!(error instanceof AppError)) tally.crashes += 1;
        else if (!isClear(error.message)) {
          tally.unclear += 1;
          console.log(`unclear (${mode}): ${error.message}`);
        }
      }
      if (JSON.stringify(request) !== before) tally.inputsLost += 1;
      expect(emulator.postCount()).toBeLessThanOrEqual(1);
    });
  });
});

// The CLI runs with its default 20 s timeout: a trickle it can outlast, so the slow path is followed to the end.
const CLI_FAULTS = FAULTS.map((fault) =>
  fault.mode === 'slow-trickle' ? { ...fault, options: { ...fault.options, delayMs: 60 } } : fault,
);

describe('every fault through the CLI', () => {
  it.each(CLI_FAULTS)('$mode $options', { timeout: 60_000 }, async ({ mode, options }) => {
    expect(existsSync(CLI), 'build the CLI first (npm run build)').toBe(true);
    await withEmulator(async (emulator) => {
      emulator.setFault(mode, options);
      const run = await runCli([
        'create',
        '--base-url',
        emulator.baseUrl,
        '--name',
        'Fault suite',
        '--subdomain',
        'acme',
        '--callback-url',
        'https://app.example.com/events',
        '--api-key',
        'fault-suite-key',
        '--json',
      ]);
      if (run.code === 1 || run.code === null || /^\s+at /m.test(run.stderr)) tally.crashes += 1;
      if (run.code === 0) {
        const printed = JSON.parse(run.stdout) as { id: number };
        expect(emulator.instances().map((instance) => Number(instance.id))).toEqual([printed.id]);
      } else if (!run.stderr.startsWith('error: ') || !isClear(run.stderr)) {
        tally.unclear += 1;
        console.log(`unclear CLI (${mode}): ${run.stderr}`);
      }
      expect(emulator.postCount()).toBeLessThanOrEqual(1);
    });
  });

  it('adds up to nothing that must never happen', () => {
    expect(tally).toMatchObject({ crashes: 0, duplicates: 0, inputsLost: 0, unclear: 0 });
  });
});
