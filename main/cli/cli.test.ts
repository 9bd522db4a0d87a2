import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT,
  startCloudElementsEmulator,
  type CloudElementsEmulator,
} from '../../e2e/emulators/cloud-elements.js';
import { ADMIN_AGENT, startFreshdeskEmulator, type FreshdeskEmulator } from '../../e2e/emulators/freshdesk.js';

/** The built CLI, as `npm test` leaves it (`npm run build` runs first). */
const CLI = fileURLToPath(new URL('../../out/cli/freshdesk-events.js', import.meta.url));

const FRESHDESK_KEY = 'fdKey/With+Plus=';
const WRONG = { CE_USER_SECRET: 'Wrong/User+Secret=', CE_ORG_SECRET: 'Wrong/Org+Secret==' };
const GOOD = { CE_USER_SECRET: DEFAULT_ACCOUNT.userSecret, CE_ORG_SECRET: DEFAULT_ACCOUNT.orgSecret };
const SECRETS = [...Object.values(GOOD), ...Object.values(WRONG), FRESHDESK_KEY, 'pw/Secret+1='];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The session's keychain (D-Bus address and XDG folders) passes through; nothing else of this process's environment. */
const KEYCHAIN_ENV = Object.fromEntries(
  ['DBUS_SESSION_BUS_ADDRESS', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'HOME']
    .map((name) => [name, process.env[name]])
    .filter((entry): entry is [string, string] => entry[1] !== undefined),
);

function start(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...KEYCHAIN_ENV, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin?.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).then((code) => {
    expect(stderr).not.toMatch(/^\s+at /m);
    for (const secret of SECRETS) {
      expect(stderr).not.toContain(secret);
      if (code !== 0) expect(stdout).not.toContain(secret);
    }
    for (const line of stderr.split('\n').filter((text) => text !== '')) {
      expect(line).toMatch(/^error: \S/);
      // One style after `error: ` (and after a `--flag: ` or `VARIABLE: ` prefix): a capital, never a lower-case word.
      expect(line).not.toMatch(/^error: (?:(?:--[a-z-]+|<instance-id>|[A-Z_]+): )?[a-z]+(?:[ ,]|:(?!\/\/))/);
    }
    return { code, stdout, stderr };
  });
  return { child, done };
}

/**
 * Runs the CLI as a child process with a clean environment. Every run, whatever
 * the test, must keep stderr free of stack traces and secrets, and print
 * failures as `error: ` lines only.
 */
function cli(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return start(args, env, input).done;
}

/** Runs the CLI with its standard output on /dev/full, where every write fails with ENOSPC. */
function cliToFullDevice(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const full = openSync('/dev/full', 'w');
  try {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...KEYCHAIN_ENV, ...env },
      stdio: ['ignore', full, 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  } finally {
    closeSync(full);
  }
}

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

let emulator: CloudElementsEmulator;

beforeAll(() => {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} is missing: build the CLI first (npm run build, or npx vite build --config main/cli/vite.config.ts).`,
    );
  }
});
beforeEach(async () => {
  emulator = await startCloudElementsEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const createArgs = (name = 'Freshdesk events (acme)') => [
  'create',
  '--base-url',
  emulator.baseUrl,
  '--name',
  name,
  '--subdomain',
  'https://acme.freshdesk.com/',
  '--callback-url',
  'https://app.example.com/hooks/freshdesk',
  '--api-key',
  FRESHDESK_KEY,
];

describe('the built file', () => {
  it('is one Node script with a shebang that reaches neither Electron nor the keychain', () => {
    const source = readFileSync(CLI, 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(source).not.toMatch(/from ["'](electron|keytar|electron-store)["']/);
    expect(source).not.toMatch(/require\(["'](electron|keytar)["']\)/);
  });
});

describe('freshdesk-events url', () => {
  it('prints exactly the events URL and a newline', async () => {
    expect(await cli(['url', '20931'])).toEqual({
      code: 0,
      stdout: 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=\n',
      stderr: '',
    });
  });

  it.each([
    [['url', '1234'], 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MTIzNA=='],
    [['url', ' 20931\n'], 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE='],
    [
      ['url', '20931', '--host', 'api.cloud-elements.co.uk'],
      'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MjA5MzE=',
    ],
    [
      ['url', '--base-url', 'https://api.cloud-elements.co.uk/elements/api-v2/', '20931'],
      'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MjA5MzE=',
    ],
    [
      ['url', '12345', '--element', 'freshservice'],
      'https://api.cloud-elements.com/elements/api-v2/events/freshservice/MTIzNDU=',
    ],
  ])('%j → %s', async (args, expected) => {
    expect(await cli(args)).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
  });

  it.each([
    [['abc'], 'not a number'],
    [['-5'], 'negative'],
    [[''], 'empty'],
    [['12 34'], 'two numbers'],
    [['12', '34'], 'two numbers'],
    [['MjA5MzE='], 'already encoded'],
    [['20931', '--element', 'freshdeskv2'], 'polling'],
    [['20931', '--host', 'http://api.cloud-elements.com'], 'https'],
    [['20931', '--base-url', 'https://api.cloud-elements.com/api-v2'], '/elements/api-v2'],
    [['20931', '--host', 'a.example.com', '--base-url', 'https://a.example.com'], 'not both'],
    [[], 'Give the instance ID'],
  ])('refuses url %j with exit 2, one error line and nothing on stdout', async (args, idea) => {
    const run = await cli(['url', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(run.stderr).toContain(idea);
  });

  it.each([
    [
      ['--host', 'api cloud'],
      'error: --host: "api cloud" is not a host name: enter something like api.cloud-elements.com, without spaces.\n',
    ],
    [
      ['--base-url', 'https://api.cloud-elements.com/api-v2'],
      "error: --base-url: The API URL's path should end with /elements/api-v2 (got /api-v2).\n",
    ],
    [
      ['--host', 'a.example.com', '--base-url', 'https://a.example.com'],
      'error: Give either --host or --base-url, not both.\n',
    ],
  ])('names the flag actually given: %j', async (args, stderr) => {
    expect(await cli(['url', '20931', ...args])).toEqual({ code: 2, stdout: '', stderr });
  });

  it.each([
    [
      ['--host', 'a.example.com', '--host', 'b.example.com'],
      'error: --host is given twice: give it once (run freshdesk-events url --help).\n',
    ],
    [
      [
        '--base-url=https://a.example.com',
        '--base-url',
        'https://b.example.com',
        '--base-url',
        'https://c.example.com',
      ],
      'error: --base-url is given 3 times: give it once (run freshdesk-events url --help).\n',
    ],
    [
      ['--element', 'freshdesk', '--host', 'a.example.com', '--element', 'freshdesk', '--host', 'a.example.com'],
      'error: --element is given twice: give it once (run freshdesk-events url --help).\nerror: --host is given twice: give it once (run freshdesk-events url --help).\n',
    ],
  ])('refuses a repeated single-value flag instead of taking the last: %j', async (args, stderr) => {
    expect(await cli(['url', '20931', ...args])).toEqual({ code: 2, stdout: '', stderr });
  });
});

describe('freshdesk-events create', () => {
  it('--json prints the id as a number, the name, the encoded id and the events URL', async () => {
    const run = await cli([...createArgs(), '--tag', 'prod', '--json'], GOOD);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\{\n {2}"id": 20931,\n/);
    expect(JSON.parse(run.stdout)).toEqual({
      id: 20931,
      name: 'Freshdesk events (acme)',
      elementKey: 'freshdesk',
      encodedId: 'MjA5MzE=',
      eventsUrl: `${emulator.baseUrl}/events/freshdesk/MjA5MzE=`,
      createdDate: emulator.instances()[0]?.createdDate,
      reconciled: false,
    });
    expect(emulator.postCount()).toBe(1);
    expect(emulator.instances()[0]).toMatchObject({
      tags: ['prod'],
      configuration: {
        subdomain: 'acme',
        'api.key': FRESHDESK_KEY,
        'event.notification.enabled': 'true',
        'event.notification.callback.url': 'https://app.example.com/hooks/freshdesk',
      },
    });
  });

  it('without --json prints a short summary with the events URL', async () => {
    const run = await cli(createArgs(), GOOD);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created instance 20931 "Freshdesk events (acme)" (element freshdesk).\n');
    expect(run.stdout).toContain(`Events URL:   ${emulator.baseUrl}/events/freshdesk/MjA5MzE=\n`);
    expect(run.stdout).toContain('Trigger Webhook');
  });

  it('takes the API key from FRESHDESK_API_KEY, or username and password', async () => {
    const withoutKey = createArgs('from env').slice(0, -2);
    expect((await cli(withoutKey, { ...GOOD, FRESHDESK_API_KEY: FRESHDESK_KEY })).code).toBe(0);
    const withPassword = [...withoutKey.slice(0, 1), ...createArgs('with password').slice(1, -2)];
    const run = await cli([...withPassword, '--username', 'agent@acme.test', '--password', 'pw/Secret+1='], GOOD);
    expect(run.code).toBe(0);
    expect(emulator.instances().map((instance) => instance.configuration)).toEqual([
      expect.objectContaining({ 'api.key': FRESHDESK_KEY }),
      expect.objectContaining({ username: 'agent@acme.test', password: 'pw/Secret+1=' }),
    ]);
  });

  it('keeps every digit of an id past 2^53 in --json', async () => {
    const big = await startCloudElementsEmulator({ firstInstanceId: '9007199254740993' });
    try {
      const args = createArgs().map((arg) => (arg === emulator.baseUrl ? big.baseUrl : arg));
      const run = await cli([...args, '--json'], GOOD);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('"id": 9007199254740993,');
      expect(run.stdout).toContain(`"encodedId": "${Buffer.from('9007199254740993').toString('base64')}"`);
    } finally {
      await big.close();
    }
  });

  it('drops whitespace around CE_USER_SECRET, CE_ORG_SECRET and --api-key before sending them', async () => {
    const padded = { CE_USER_SECRET: ` ${GOOD.CE_USER_SECRET}\n`, CE_ORG_SECRET: `\t${GOOD.CE_ORG_SECRET} ` };
    const args = createArgs().map((arg) => (arg === FRESHDESK_KEY ? `  ${FRESHDESK_KEY}\r\n` : arg));
    const run = await cli([...args, '--json'], padded);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(emulator.requests().map((request) => request.authorization)).toEqual(
      emulator.requests().map(() => `User ${GOOD.CE_USER_SECRET}, Organization ${GOOD.CE_ORG_SECRET}`),
    );
    expect(emulator.instances()[0]?.configuration['api.key']).toBe(FRESHDESK_KEY);
  });

  it('refuses a wrong paste in CE_USER_SECRET / CE_ORG_SECRET with exit 2, naming the variable and the fix', async () => {
    const header = `User ${GOOD.CE_USER_SECRET}, Organization ${GOOD.CE_ORG_SECRET}`;
    const run = await cli(createArgs(), { CE_USER_SECRET: header, CE_ORG_SECRET: `"${GOOD.CE_ORG_SECRET}"` });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        "error: CE_USER_SECRET: You pasted the whole Authorization header: paste only the user secret (after 'User ').",
        'error: CE_ORG_SECRET: The organization secret has quotes around it: paste only what is between them.',
        '',
      ].join('\n'),
    });
    expect(emulator.requests()).toEqual([]);
  });

  it('names FRESHDESK_API_KEY or --api-key, whichever held the wrong key', async () => {
    const withoutKey = createArgs().slice(0, -2);
    const fromEnv = await cli(withoutKey, { ...GOOD, FRESHDESK_API_KEY: `'${FRESHDESK_KEY}'` });
    expect(fromEnv).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: FRESHDESK_API_KEY: The Freshdesk API key has quotes around it: paste only what is between them.\n',
    });
    const fromFlag = await cli([...withoutKey, '--api-key', `${FRESHDESK_KEY}:X`], GOOD);
    expect(fromFlag).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: --api-key: The Freshdesk API key ends with ":X", as in curl's -u KEY:X: paste only the key, without ":X".\n`,
    });
    expect(emulator.requests()).toEqual([]);
  });

  it('refuses --name given twice but takes repeated --tag and --json', async () => {
    const twice = await cli([...createArgs(), '--name', 'other'], GOOD);
    expect(twice).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --name is given twice: give it once (run freshdesk-events create --help).\n',
    });
    expect(emulator.requests()).toEqual([]);
    const run = await cli([...createArgs(), '--tag', 'a', '--tag', 'b', '--json', '--json'], GOOD);
    expect(run.code).toBe(0);
    expect(emulator.instances()[0]?.tags).toEqual(['a', 'b']);
  });

  it('lists every missing flag, exits 2 and sends nothing', async () => {
    const run = await cli(['create', '--base-url', emulator.baseUrl, '--json'], GOOD);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter((line) => line !== '')).toEqual([
      'error: --name: Name the instance, for example "Freshdesk events (acme)".',
      'error: --subdomain: The Freshdesk subdomain is empty: enter the name before .freshdesk.com, like acme.',
      'error: --api-key: Give the Freshdesk API key with --api-key or FRESHDESK_API_KEY (Freshdesk: Profile settings > Your API key), or use --username and --password.',
      "error: --callback-url: Enter your app's callback URL: the https address where Cloud Elements will POST the events.",
    ]);
    expect(emulator.requests()).toEqual([]);
  });

  it('refuses an http or /events/ callback URL and a custom-domain subdomain before sending', async () => {
    const args = createArgs().map((arg) =>
      arg === 'https://app.example.com/hooks/freshdesk'
        ? 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE='
        : arg === 'https://acme.freshdesk.com/'
          ? 'support.acme.com'
          : arg,
    );
    const run = await cli(args, GOOD);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: --subdomain: support.acme.com looks like a custom domain');
    expect(run.stderr).toContain('error: --callback-url: That is a Cloud Elements events URL');
    const http = await cli(
      createArgs().map((arg) => (arg.startsWith('https://app.') ? 'http://app.example.com/hooks' : arg)),
      GOOD,
    );
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('must start with https://');
    expect(emulator.requests()).toEqual([]);
  });

  it('refuses an unknown option or a stray argument with exit 2', async () => {
    const unknown = await cli(['create', '--apikey=fdKey/With+Plus='], GOOD);
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: Unknown option '--apikey': run freshdesk-events create --help.\n",
    });
    const stray = await cli([...createArgs(), 'fdKey/With+Plus='], GOOD);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('Unexpected argument');
  });

  it('exits 3 naming the missing variable when only one secret is set, sending nothing', async () => {
    const run = await cli(createArgs(), { CE_USER_SECRET: GOOD.CE_USER_SECRET });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `error: CE_ORG_SECRET is not set: set both CE_USER_SECRET and CE_ORG_SECRET, or unset both to use the secrets saved by freshdesk-events login --host ${new URL(emulator.baseUrl).host}.\n`,
    );
    expect(emulator.requests()).toEqual([]);
  });

  it('exits 3 on rejected secrets without printing them, even when the server echoes them', async () => {
    const echoing = await startCloudElementsEmulator({ echo: true });
    try {
      const args = createArgs().map((arg) => (arg === emulator.baseUrl ? echoing.baseUrl : arg));
      const run = await cli(args, WRONG);
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: Cloud Elements rejected the user and organization secrets \(401: /);
      expect(run.stderr).toContain('User ********, Organization ********');
      expect(echoing.postCount()).toBe(0);
    } finally {
      await echoing.close();
    }
  });

  it('exits 2 with the server message when Cloud Elements refuses the request', async () => {
    const limited = await startCloudElementsEmulator({
      accounts: [{ userSecret: GOOD.CE_USER_SECRET, orgSecret: GOOD.CE_ORG_SECRET, elements: ['freshdeskv2'] }],
    });
    try {
      const args = createArgs().map((arg) => (arg === emulator.baseUrl ? limited.baseUrl : arg));
      const run = await cli(args, GOOD);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("No element found with key 'freshdesk'.");
    } finally {
      await limited.close();
    }
  });

  it('exits 2 when the name is taken, without POSTing', async () => {
    emulator.addInstance({ name: 'Freshdesk events (acme)' });
    const run = await cli(createArgs(), GOOD);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('already exists (ID 20931');
    expect(emulator.postCount()).toBe(0);
  });

  it.each(['server-error', 'bad-gateway'] as const)('exits 4 on %s', async (fault) => {
    emulator.setFault(fault);
    const run = await cli([...createArgs(), '--json'], GOOD);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: Cloud Elements \(127\.0\.0\.1:\d+\) failed with 50[02]/);
    expect(run.stderr).not.toContain('<html>');
  });

  it('reconciles a dropped connection: exit 0, reconciled, one instance', async () => {
    emulator.setFault('drop-after-create');
    const run = await cli([...createArgs(), '--json'], GOOD);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: 20931, reconciled: true });
    expect(emulator.postCount()).toBe(1);
    expect(emulator.instances()).toHaveLength(1);
  });

  it('on Ctrl-C while the POST is pending: exits 4, warns that the instance may exist, never POSTs again', async () => {
    emulator.setFault('delay-after-create', { delayMs: 10_000 });
    const { child, done } = start(createArgs(), GOOD);
    for (let wait = 0; wait < 500 && emulator.postCount() === 0; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(emulator.postCount()).toBe(1);
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      'error: Cancelled after the request to create "Freshdesk events (acme)" was sent: it may have been created, so check the instance list before trying again.\n',
    );
    expect(emulator.postCount()).toBe(1);
  });

  it('exits 4 when Cloud Elements cannot be reached', async () => {
    const gone = await startCloudElementsEmulator();
    const base = gone.baseUrl;
    await gone.close();
    const run = await cli(
      createArgs().map((arg) => (arg === emulator.baseUrl ? base : arg)),
      GOOD,
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('ECONNREFUSED');
  });
});

describe('freshdesk-events instances', () => {
  it('--json prints an array with numeric ids and events URLs', async () => {
    emulator.addInstance({ name: 'webhook' });
    emulator.addInstance({
      name: 'polling',
      elementKey: 'freshdeskv2',
      configuration: { subdomain: 'a', username: 'k' },
    });
    const run = await cli(['instances', '--base-url', emulator.baseUrl, '--json'], GOOD);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        id: 20931,
        name: 'webhook',
        elementKey: 'freshdesk',
        encodedId: 'MjA5MzE=',
        eventsUrl: `${emulator.baseUrl}/events/freshdesk/MjA5MzE=`,
        createdDate: emulator.instances()[0]?.createdDate,
      },
      {
        id: 20932,
        name: 'polling',
        elementKey: 'freshdeskv2',
        encodedId: '',
        eventsUrl: '',
        createdDate: emulator.instances()[1]?.createdDate,
      },
    ]);
  });

  it('prints a readable table without --json', async () => {
    emulator.addInstance({ name: 'webhook' });
    const run = await cli(['instances', '--base-url', emulator.baseUrl], GOOD);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `ID     NAME     ELEMENT    EVENTS URL\n20931  webhook  freshdesk  ${emulator.baseUrl}/events/freshdesk/MjA5MzE=\n`,
    );
  });

  it('says when there are none, and prints [] with --json', async () => {
    expect((await cli(['instances', '--base-url', emulator.baseUrl], GOOD)).stdout).toBe(
      'No instances in this account.\n',
    );
    expect((await cli(['instances', '--base-url', emulator.baseUrl, '--json'], GOOD)).stdout).toBe('[]\n');
  });

  it.skipIf(!existsSync('/dev/full'))('exits 4 with one error line when the output cannot be written', async () => {
    emulator.addInstance({ name: 'webhook' });
    const expected = {
      code: 4,
      stderr:
        'error: Could not write the output (ENOSPC: no space left on device): check where standard output goes.\n',
    };
    expect(await cliToFullDevice(['instances', '--base-url', emulator.baseUrl, '--json'], GOOD)).toEqual(expected);
    expect(await cliToFullDevice(['url', '20931'])).toEqual(expected);
    expect(await cliToFullDevice(['--help'])).toEqual(expected);
  });

  it('exits 3 on rejected secrets and 4 on an unreadable answer', async () => {
    expect((await cli(['instances', '--base-url', emulator.baseUrl], WRONG)).code).toBe(3);
    emulator.setFault('garbled', { requests: 'all' });
    emulator.addInstance({ name: 'x' });
    const run = await cli(['instances', '--base-url', emulator.baseUrl], GOOD);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('could not be read');
  });
});

describe('help and usage', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the usage on stdout and exits 0', async (flag) => {
    const run = await cli([flag]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: freshdesk-events <command> \[options\]\n/);
    for (const command of ['url <instance-id>', 'create', 'instances']) expect(run.stdout).toContain(`  ${command}`);
  });

  it.each([['--version'], ['-v']])('%s prints the package version and exits 0', async (flag) => {
    expect(PACKAGE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cli([flag])).toEqual({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
  });

  it('--version takes nothing after it', async () => {
    expect(await cli(['--version', 'url'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --version takes nothing after it: run freshdesk-events --version.\n',
    });
  });

  it.each(['url', 'create', 'instances', 'login', 'logout', 'doctor'])(
    '%s --help starts every option description in one column',
    async (command) => {
      const run = await cli([command, '--help']);
      const lines = run.stdout.split('\n');
      const first = lines.findIndex((line) => /^ {2}[-<]/.test(line));
      const block = lines.slice(first, lines.indexOf('', first));
      expect(block.filter((line) => /^ {2}--(host|base-url) /.test(line))).toHaveLength(2);
      const columns = block.map((line) =>
        /^ {2}[-<]/.test(line) ? /^ {2}\S+(?: \S+)*\s{2,}/.exec(line)?.[0].length : /^\s+/.exec(line)?.[0].length,
      );
      expect(new Set(columns).size).toBe(1);
    },
  );

  it('aligns --host and --base-url with the other options of create', async () => {
    const { stdout } = await cli(['create', '--help']);
    expect(stdout).toContain(
      [
        '  --tag T              a tag for the instance; repeat for several',
        '  --host HOST          Cloud Elements host (default api.cloud-elements.com; EU: api.cloud-elements.co.uk)',
        '  --base-url URL       a whole API base instead, e.g. https://api.cloud-elements.co.uk/elements/api-v2',
        '                       (plain http:// only for loopback addresses such as a local emulator)',
        '  --json               print one JSON object',
      ].join('\n'),
    );
  });

  it.each([
    [['url', '--help'], 'Usage: freshdesk-events url <instance-id>'],
    [['help', 'create'], 'Usage: freshdesk-events create --name NAME'],
    [['instances', '-h'], 'Usage: freshdesk-events instances'],
  ])('%j prints that command’s help', async (args, start) => {
    const run = await cli(args);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(start)).toBe(true);
  });

  it.each([
    [[], 'No command given'],
    [['frobnicate'], 'Unknown command "frobnicate"'],
    [['help', 'frobnicate'], 'No help for "frobnicate"'],
    [['url', '20931', '--json'], "Unknown option '--json'"],
    [['create', '--name'], "Option '--name <value>' argument missing"],
  ])('%j is a usage error (exit 2)', async (args, idea) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(run.stderr).toContain(idea);
  });
});

describe('freshdesk-events login, logout and doctor (real OS keychain)', () => {
  const target = () => ['--base-url', emulator.baseUrl];
  const secretsOnStdin = `${GOOD.CE_USER_SECRET}\n${GOOD.CE_ORG_SECRET}\n`;

  afterEach(async () => {
    await cli(['logout', ...target()]);
  });

  it('saves accepted secrets, which create and instances then use without any environment', async () => {
    const login = await cli(['login', ...target()], {}, secretsOnStdin);
    expect(login).toEqual({
      code: 0,
      stdout: `Saved the secrets for ${new URL(emulator.baseUrl).host} in the OS keychain.\n`,
      stderr: '',
    });
    const created = await cli([...createArgs(), '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 20931 });
    const listed = await cli(['instances', ...target(), '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: number }[]).map((instance) => instance.id)).toEqual([20931]);
    const header = `User ${GOOD.CE_USER_SECRET}, Organization ${GOOD.CE_ORG_SECRET}`;
    expect(emulator.requests().every((request) => request.authorization === header)).toBe(true);
  });

  it('refuses rejected secrets and saves nothing', async () => {
    const login = await cli(['login', ...target()], {}, `${WRONG.CE_USER_SECRET}\n${WRONG.CE_ORG_SECRET}\n`);
    expect(login.code).toBe(3);
    const listed = await cli(['instances', ...target()]);
    expect(listed.code).toBe(3);
    expect(listed.stderr).toContain(`run freshdesk-events login --host ${new URL(emulator.baseUrl).host}`);
  });

  it('saves the secrets without the whitespace pasted around them', async () => {
    const padded = ` ${GOOD.CE_USER_SECRET}\t\r\n  ${GOOD.CE_ORG_SECRET} \n`;
    expect((await cli(['login', ...target()], {}, padded)).code).toBe(0);
    expect((await cli(['instances', ...target()])).code).toBe(0);
    const header = `User ${GOOD.CE_USER_SECRET}, Organization ${GOOD.CE_ORG_SECRET}`;
    expect(emulator.requests().map((request) => request.authorization)).toEqual(emulator.requests().map(() => header));
  });

  it('refuses the whole header or a User prefix, saying what to paste, and saves nothing', async () => {
    const header = `User ${GOOD.CE_USER_SECRET}, Organization ${GOOD.CE_ORG_SECRET}`;
    const login = await cli(['login', ...target()], {}, `${header}\nUser ${GOOD.CE_USER_SECRET}\n`);
    expect(login).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        "error: You pasted the whole Authorization header: paste only the user secret (after 'User '). Nothing was saved.",
        "error: That is the user secret ('User …'): paste the organization secret here, the value after 'Organization '. Nothing was saved.",
        '',
      ].join('\n'),
    });
    expect(emulator.requests()).toEqual([]);
    expect((await cli(['instances', ...target()])).code).toBe(3);
  });

  it('refuses an empty secret before sending anything', async () => {
    const login = await cli(['login', ...target()], {}, `${GOOD.CE_USER_SECRET}\n\n`);
    expect(login.code).toBe(2);
    expect(login.stderr).toContain('organization secret is empty');
    expect(emulator.requests()).toEqual([]);
  });

  it('logout forgets the secrets, and says so when there were none', async () => {
    await cli(['login', ...target()], {}, secretsOnStdin);
    const host = new URL(emulator.baseUrl).host;
    expect((await cli(['logout', ...target()])).stdout).toBe(`Removed the secrets for ${host} from the OS keychain.\n`);
    expect((await cli(['logout', ...target()])).stdout).toBe(`No secrets were saved for ${host}.\n`);
    expect((await cli(['instances', ...target()])).code).toBe(3);
  });

  it('doctor reports the keychain, the secrets and the element, one line each', async () => {
    await cli(['login', ...target()], {}, secretsOnStdin);
    const host = new URL(emulator.baseUrl).host;
    const doctor = await cli(['doctor', ...target()]);
    expect(doctor).toEqual({
      code: 0,
      stdout: [
        'ok    OS keychain: usable',
        `ok    secrets for ${host}: from the OS keychain`,
        `ok    ${host}: reachable, secrets accepted`,
        'ok    freshdesk element (events by webhook): available',
        '',
      ].join('\n'),
      stderr: '',
    });
    const wrong = await cli(['doctor', ...target()], WRONG);
    expect(wrong.code).toBe(3);
    expect(wrong.stdout).toContain('FAIL');
  });

  it('doctor exits 3 without a D-Bus session, saying how to fix it', async () => {
    const doctor = await cli(['doctor', ...target()], { DBUS_SESSION_BUS_ADDRESS: 'disabled:' });
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toContain('FAIL  OS keychain:');
  });
});

describe('freshdesk-events webhook-rule', () => {
  let freshdesk: FreshdeskEmulator;
  const events = 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=';
  const args = () => [
    'webhook-rule',
    '--subdomain',
    'acme',
    '--freshdesk-base-url',
    freshdesk.baseUrl,
    '--events-url',
    events,
  ];

  beforeEach(async () => {
    freshdesk = await startFreshdeskEmulator();
  });
  afterEach(async () => {
    await freshdesk.close();
  });

  it('creates the rule once, then finds it: exactly one rule, POST JSON to the events URL', async () => {
    const first = await cli([...args(), '--json'], { FRESHDESK_API_KEY: ADMIN_AGENT.apiKey });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: true, active: true, eventsUrl: events });
    const second = await cli(args(), { FRESHDESK_API_KEY: ADMIN_AGENT.apiKey });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Found (and kept) the Freshdesk rule');
    expect(freshdesk.rules()).toHaveLength(1);
    expect(freshdesk.rules()[0]?.['actions']).toEqual([
      expect.objectContaining({
        field_name: 'trigger_webhook',
        request_type: 'POST',
        content_type: 'JSON',
        url: events,
      }),
    ]);
  });

  it('refuses a mistaken events URL and a missing key before calling Freshdesk', async () => {
    const run = await cli([
      'webhook-rule',
      '--subdomain',
      'acme',
      '--freshdesk-base-url',
      freshdesk.baseUrl,
      '--events-url',
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzEK',
    ]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: --events-url: /);
    expect(lines[1]).toMatch(/^error: --api-key: Give the Freshdesk API key/);
    expect(freshdesk.requests()).toEqual([]);
  });

  it('exits 3 on a rejected key without printing it, and 2 when the account does not exist', async () => {
    const rejected = await cli([...args(), '--api-key', 'not-a-real-key-123']);
    expect(rejected.code).toBe(3);
    expect(rejected.stderr).not.toContain('not-a-real-key-123');
    freshdesk.setFault('not-found');
    const missing = await cli(args(), { FRESHDESK_API_KEY: ADMIN_AGENT.apiKey });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*subdomain/i);
  });
});

describe('without a keychain', () => {
  it('login says so before asking for anything, and names the environment variables', async () => {
    const run = await cli(
      ['login', '--base-url', emulator.baseUrl],
      { DBUS_SESSION_BUS_ADDRESS: 'disabled:' },
      'a\nb\n',
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: .*no D-Bus session.*CE_USER_SECRET and CE_ORG_SECRET/);
    expect(emulator.requests()).toEqual([]);
  });
});
