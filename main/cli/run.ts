import { parseArgs, type ParseArgsConfig } from 'node:util';
import { version } from '../../package.json';
import { hostOf, resolveApiBase, type ApiBase } from '../core/api-base.js';
import { AppError, exitCodeFor, type Checked, type FieldProblem } from '../core/errors.js';
import { buildEventsUrl, WEBHOOK_ELEMENT } from '../core/events-url.js';
import { parseInstanceId } from '../core/instance-id.js';
import { buildInstanceRequest, type FreshdeskAuth } from '../core/instance-request.js';
import { resolveFreshdeskBase } from '../core/freshdesk-base.js';
import { normalizeSubdomain } from '../core/subdomain.js';
import { checkEventsUrl } from '../core/webhook-rule.js';
import { redactSecrets } from '../core/redact.js';
import { cleanSecret } from '../core/secrets.js';
import { createCloudElementsClient, type CloudElementsCredentials } from '../services/cloud-elements.js';
import { createFreshdeskClient } from '../services/freshdesk.js';
import type { SecretVault } from '../services/secret-vault.js';
import { COMMAND_HELP, COMMANDS, isCommand, PROGRAM, USAGE, type Command } from './help.js';
import { createdJson, createdSummary, instancesJson, instancesTable } from './output.js';
import { cloudElementsCredentials, freshdeskSecret, type SecretReader } from './secrets.js';

export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
  /** The OS keychain (keytar), where `login` keeps the secrets. */
  vault: SecretVault;
  /** Reads `login`'s secrets from the terminal without echo, or from standard input. */
  secrets: SecretReader;
}

/** Exit status for failures outside the contract (a bug): distinct from 2, 3 and 4. */
const INTERNAL_FAILURE = 1;

/**
 * Which option (or environment variable) each validation field comes from, so
 * a problem line names what to change. `apiBase` (both --host and --base-url
 * given) has none: its message names both.
 */
const FLAG_OF: Record<string, string> = {
  host: '--host',
  baseUrl: '--base-url',
  instanceId: '<instance-id>',
  element: '--element',
  name: '--name',
  subdomain: '--subdomain',
  callbackUrl: '--callback-url',
  apiKey: '--api-key',
  username: '--username',
  password: '--password',
  tags: '--tag',
  FRESHDESK_API_KEY: 'FRESHDESK_API_KEY',
  CE_USER_SECRET: 'CE_USER_SECRET',
  CE_ORG_SECRET: 'CE_ORG_SECRET',
  eventsUrl: '--events-url',
  freshdeskBaseUrl: '--freshdesk-base-url',
};

/** Runs one command line and returns the exit status. Never throws; every failure is one `error: ` line per problem. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const secrets = secretsIn(argv, context.env);
  try {
    return await dispatch(argv, context);
  } catch (error) {
    const lines = errorLines(error).map((line) => `error: ${redactSecrets(line, secrets).replace(/\s*\n\s*/g, ' ')}\n`);
    context.stderr(lines.join(''));
    return error instanceof AppError ? exitCodeFor(error.kind) : INTERNAL_FAILURE;
  }
}

async function dispatch(argv: readonly string[], context: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw usage(`No command given: run ${PROGRAM} --help to see the commands.`);
  if (first === '--help' || first === '-h') {
    context.stdout(USAGE);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    if (rest.length > 0) throw usage(`${first} takes nothing after it: run ${PROGRAM} ${first}.`);
    context.stdout(`${version}\n`);
    return 0;
  }
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) context.stdout(USAGE);
    else if (isCommand(topic) && extra.length === 0) context.stdout(COMMAND_HELP[topic]);
    else throw usage(`No help for "${[topic, ...extra].join(' ')}": the commands are ${COMMANDS.join(', ')}.`);
    return 0;
  }
  if (!isCommand(first)) {
    throw usage(`Unknown command "${first}": the commands are ${COMMANDS.join(', ')} (run ${PROGRAM} --help).`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    context.stdout(COMMAND_HELP[first]);
    return 0;
  }
  switch (first) {
    case 'url':
      return urlCommand(rest, context);
    case 'create':
      return createCommand(rest, context);
    case 'instances':
      return instancesCommand(rest, context);
    case 'login':
      return loginCommand(rest, context);
    case 'logout':
      return logoutCommand(rest, context);
    case 'doctor':
      return doctorCommand(rest, context);
    case 'webhook-rule':
      return webhookRuleCommand(rest, context);
  }
}

function urlCommand(args: readonly string[], context: CliContext): number {
  // "-5" would read as an unknown short option; let it through as the id so the answer is "negative".
  const numberLike = (arg: string) => /^-\d/.test(arg);
  const { values, positionals } = parse('url', {
    args: args.filter((arg) => !numberLike(arg)),
    options: { host: { type: 'string' }, 'base-url': { type: 'string' }, element: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const ids = [...positionals, ...args.filter(numberLike)];
  if (ids.length === 0) throw usage(`Give the instance ID, for example: ${PROGRAM} url 20931`);

  const problems: FieldProblem[] = [];
  const base = apiBaseOf(values, problems);
  const id = parseInstanceId(ids.join(' '));
  if (!id.ok) problems.push({ field: 'instanceId', message: id.message });
  if (!base.ok || !id.ok) throw invalid(problems);

  const events = buildEventsUrl(base.value, id.value, values.element ?? WEBHOOK_ELEMENT);
  if (!events.ok) throw invalid([{ field: 'element', message: events.message }]);
  context.stdout(`${events.value.url}\n`);
  return 0;
}

async function createCommand(args: readonly string[], context: CliContext): Promise<number> {
  const { values } = parse('create', {
    args: [...args],
    options: {
      name: { type: 'string' },
      subdomain: { type: 'string' },
      'callback-url': { type: 'string' },
      'api-key': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      tag: { type: 'string', multiple: true },
      host: { type: 'string' },
      'base-url': { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: false,
    strict: true,
  });

  const problems: FieldProblem[] = [];
  const base = apiBaseOf(values, problems);

  let auth: FreshdeskAuth;
  /** Where the API key came from, so its problems name --api-key or FRESHDESK_API_KEY. */
  let keyField = 'apiKey';
  const usesPassword = values.username !== undefined || values.password !== undefined;
  if (usesPassword && values['api-key'] !== undefined) {
    problems.push({ field: 'apiKey', message: 'Give either --api-key or --username with --password, not both.' });
  }
  if (usesPassword) {
    auth = { kind: 'password', username: values.username ?? '', password: values.password ?? '' };
  } else {
    const bare = normalizeSubdomain(values.subdomain ?? '');
    const found = await freshdeskSecret(
      values['api-key'],
      context.env,
      context.vault,
      bare.ok ? bare.value : undefined,
    );
    auth = found?.secret ?? { kind: 'apiKey', apiKey: '' };
    if (found?.source === 'environment') keyField = 'FRESHDESK_API_KEY';
    if (found?.source === 'keychain') keyField = 'savedApiKey';
  }

  const request = buildInstanceRequest({
    name: values.name ?? '',
    tags: values.tag ?? [],
    subdomain: values.subdomain ?? '',
    auth,
    callbackUrl: values['callback-url'] ?? '',
  });
  if (!request.ok) {
    for (const problem of request.problems) {
      const noKeyAnywhere = problem.field === 'apiKey' && auth.kind === 'apiKey' && auth.apiKey.trim() === '';
      problems.push(
        noKeyAnywhere
          ? {
              field: 'apiKey',
              message:
                'Give the Freshdesk API key with --api-key or FRESHDESK_API_KEY (Freshdesk: Profile settings > Your API key), or use --username and --password.',
            }
          : problem.field === 'apiKey'
            ? { field: keyField, message: problem.message }
            : problem,
      );
    }
  }
  if (problems.length > 0 || !base.ok || !request.ok) throw invalid(problems);

  const client = await connect(base.value, context);
  const created = await client.createInstance(request.body, signalOf(context));
  context.stdout(values.json ? createdJson(created) : createdSummary(created));
  return 0;
}

async function instancesCommand(args: readonly string[], context: CliContext): Promise<number> {
  const { values } = parse('instances', {
    args: [...args],
    options: { host: { type: 'string' }, 'base-url': { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: false,
    strict: true,
  });
  const problems: FieldProblem[] = [];
  const base = apiBaseOf(values, problems);
  if (!base.ok) throw invalid(problems);
  const instances = await (await connect(base.value, context)).listInstances(signalOf(context));
  context.stdout(values.json ? instancesJson(instances) : instancesTable(instances));
  return 0;
}

async function connect(apiBase: ApiBase, context: CliContext) {
  const { credentials } = await cloudElementsCredentials(context.env, context.vault, apiBase);
  return createCloudElementsClient({ apiBase, credentials });
}

function signalOf(context: CliContext): { signal?: AbortSignal } {
  return context.signal ? { signal: context.signal } : {};
}

/** --host / --base-url (and login's --no-check), nothing else. */
function targetOptions(command: Command, args: readonly string[]): { apiBase: ApiBase; noCheck: boolean } {
  const { values } = parse(command, {
    args: [...args],
    options: {
      host: { type: 'string' },
      'base-url': { type: 'string' },
      ...(command === 'login' ? { 'no-check': { type: 'boolean' as const } } : {}),
    },
    allowPositionals: false,
    strict: true,
  });
  const problems: FieldProblem[] = [];
  const base = apiBaseOf(values, problems);
  if (!base.ok) throw invalid(problems);
  return { apiBase: base.value, noCheck: 'no-check' in values && values['no-check'] === true };
}

/** Asks for both secrets, checks them against the host (unless --no-check), then saves them in the keychain. */
async function loginCommand(args: readonly string[], context: CliContext): Promise<number> {
  const { apiBase, noCheck } = targetOptions('login', args);
  const host = hostOf(apiBase);
  // Ask nothing when there is nowhere to keep the answer.
  const keychain = await context.vault.check();
  if (!keychain.usable) {
    throw new AppError(
      'keychain',
      `${keychain.message} Nothing was asked or saved; without a keychain, set CE_USER_SECRET and CE_ORG_SECRET instead.`,
    );
  }
  const userSecret = cleanSecret(await context.secrets.read(`Cloud Elements user secret for ${host}: `), 'userSecret');
  const orgSecret = cleanSecret(
    await context.secrets.read(`Cloud Elements organization secret for ${host}: `),
    'orgSecret',
  );
  const problems: FieldProblem[] = [];
  if (!userSecret.ok) problems.push({ field: 'userSecret', message: `${userSecret.message} Nothing was saved.` });
  if (!orgSecret.ok) problems.push({ field: 'orgSecret', message: `${orgSecret.message} Nothing was saved.` });
  if (!userSecret.ok || !orgSecret.ok) throw invalid(problems);
  const credentials = { userSecret: userSecret.value, orgSecret: orgSecret.value };
  // Prove the secrets before keeping them: a typo saved in the keychain would fail every later command.
  if (!noCheck) await createCloudElementsClient({ apiBase, credentials }).hasElement('freshdesk', signalOf(context));
  await context.vault.saveCloudElements(host, credentials);
  context.stdout(`Saved the secrets for ${host} in the OS keychain${noCheck ? ' (not checked)' : ''}.\n`);
  return 0;
}

async function logoutCommand(args: readonly string[], context: CliContext): Promise<number> {
  const { apiBase } = targetOptions('logout', args);
  const host = hostOf(apiBase);
  const forgotten = await context.vault.forgetCloudElements(host);
  context.stdout(
    forgotten ? `Removed the secrets for ${host} from the OS keychain.\n` : `No secrets were saved for ${host}.\n`,
  );
  return 0;
}

/** One line per check: keychain usable? secrets found? host reachable and secrets accepted? which element? */
async function doctorCommand(args: readonly string[], context: CliContext): Promise<number> {
  const { apiBase } = targetOptions('doctor', args);
  const host = hostOf(apiBase);
  const report = (ok: boolean, text: string) => context.stdout(`${ok ? 'ok  ' : 'FAIL'}  ${text}\n`);
  let status = 0;

  const keychain = await context.vault.check();
  if (keychain.usable) report(true, 'OS keychain: usable');
  else {
    report(false, `OS keychain: ${keychain.message}`);
    status = 3;
  }

  let credentials: CloudElementsCredentials;
  try {
    const found = await cloudElementsCredentials(context.env, context.vault, apiBase);
    credentials = found.credentials;
    const source = found.source === 'environment' ? 'CE_USER_SECRET and CE_ORG_SECRET' : 'the OS keychain';
    report(true, `secrets for ${host}: from ${source}`);
  } catch (error) {
    report(false, `secrets for ${host}: ${error instanceof Error ? error.message : 'missing'}`);
    return 3;
  }

  try {
    const client = createCloudElementsClient({ apiBase, credentials });
    const webhook = await client.hasElement('freshdesk', signalOf(context));
    const polling = webhook ? false : await client.hasElement('freshdeskv2', signalOf(context));
    report(true, `${host}: reachable, secrets accepted`);
    if (webhook) report(true, 'freshdesk element (events by webhook): available');
    else if (polling) {
      report(true, 'freshdesk element: not available; freshdeskv2 is (events by polling, no Freshdesk rule needed)');
    } else {
      report(false, 'neither the freshdesk nor the freshdeskv2 element is available to this account');
      if (status === 0) status = 2;
    }
  } catch (error) {
    report(false, `${host}: ${error instanceof Error ? error.message : 'unreachable'}`);
    if (status === 0) status = error instanceof AppError ? exitCodeFor(error.kind) : 4;
  }
  return status;
}

/** Finds or creates the Freshdesk ticket-updates rule that POSTs JSON to the events URL. */
async function webhookRuleCommand(args: readonly string[], context: CliContext): Promise<number> {
  const { values } = parse('webhook-rule', {
    args: [...args],
    options: {
      subdomain: { type: 'string' },
      'events-url': { type: 'string' },
      'freshdesk-base-url': { type: 'string' },
      name: { type: 'string' },
      'api-key': { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: false,
    strict: true,
  });
  const problems: FieldProblem[] = [];
  const subdomain = values.subdomain === undefined ? undefined : normalizeSubdomain(values.subdomain);
  if (subdomain && !subdomain.ok) problems.push({ field: 'subdomain', message: subdomain.message });
  const base = resolveFreshdeskBase({
    subdomain: subdomain?.ok ? subdomain.value : values.subdomain,
    baseUrl: values['freshdesk-base-url'],
  });
  if (!base.ok && !(subdomain && !subdomain.ok)) problems.push({ field: 'freshdeskBaseUrl', message: base.message });
  const eventsUrl = checkEventsUrl(values['events-url'] ?? '');
  if (values['events-url'] === undefined) {
    problems.push({ field: 'eventsUrl', message: `Give the events URL (${PROGRAM} url <instance-id> prints it).` });
  } else if (!eventsUrl.ok) problems.push({ field: 'eventsUrl', message: eventsUrl.message });
  const found = await freshdeskSecret(
    values['api-key'],
    context.env,
    context.vault,
    subdomain?.ok ? subdomain.value : undefined,
  );
  let apiKey: string | undefined;
  if (!found) {
    problems.push({
      field: 'apiKey',
      message:
        'Give the Freshdesk API key of an admin with --api-key or FRESHDESK_API_KEY (Freshdesk: Profile settings > Your API key).',
    });
  } else if (found.secret.kind !== 'apiKey') {
    problems.push({
      field: 'apiKey',
      message: 'The Freshdesk API needs an API key; the saved credentials are a username and password: give --api-key.',
    });
  } else {
    const cleaned = cleanSecret(found.secret.apiKey, 'apiKey');
    if (cleaned.ok) apiKey = cleaned.value;
    else
      problems.push({
        field: found.source === 'environment' ? 'FRESHDESK_API_KEY' : 'apiKey',
        message: cleaned.message,
      });
  }
  if (problems.length > 0 || !base.ok || !eventsUrl.ok || apiKey === undefined) throw invalid(problems);

  const client = createFreshdeskClient({ baseUrl: base.value, apiKey });
  const { rule, created, warnings } = await client.ensureWebhookRule(eventsUrl.value, {
    ...(values.name === undefined ? {} : { name: values.name }),
    ...signalOf(context),
  });
  if (values.json) {
    const printed = {
      id: rule.id,
      name: rule.name,
      active: rule.active,
      created,
      warnings,
      eventsUrl: eventsUrl.value,
    };
    context.stdout(`${JSON.stringify(printed, null, 2)}\n`);
  } else {
    const what = created ? 'Created' : 'Found (and kept)';
    context.stdout(`${what} the Freshdesk rule "${rule.name}" (ID ${rule.id}${rule.active ? '' : ', turned off'}):\n`);
    context.stdout(`  on ticket updates, Trigger Webhook: POST, JSON, to ${eventsUrl.value}\n`);
    for (const warning of warnings) context.stdout(`  warning: ${warning}\n`);
  }
  return 0;
}

/**
 * Runs node:util parseArgs, turns its errors into usage errors, and refuses a
 * single-value option given more than once (parseArgs would keep the last).
 */
function parse<const T extends ParseArgsConfig>(command: Command, config: T) {
  let parsed;
  try {
    parsed = parseArgs({ ...config, tokens: true });
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw error;
    }
    // Node's first sentence names the option ("Unknown option '--x'", "Option '--name <value>' argument missing").
    const first = error.message.split(/\.\s/)[0] ?? error.message;
    throw usage(`${first}: run ${PROGRAM} ${command} --help.`);
  }
  const counts = new Map<string, number>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const option = config.options?.[token.name];
    if (option?.type === 'string' && option.multiple !== true)
      counts.set(token.name, (counts.get(token.name) ?? 0) + 1);
  }
  const repeated = [...counts].filter(([, count]) => count > 1);
  if (repeated.length > 0) {
    throw invalid(
      repeated.map(([name, count]) => ({
        field: 'repeated',
        message: `--${name} is given ${count === 2 ? 'twice' : `${count} times`}: give it once (run ${PROGRAM} ${command} --help).`,
      })),
    );
  }
  return parsed;
}

/** The API base from --host or --base-url; a problem names the flag that was given. */
function apiBaseOf(
  values: { host?: string | undefined; 'base-url'?: string | undefined },
  problems: FieldProblem[],
): Checked<ApiBase> {
  const host = values.host;
  const baseUrl = values['base-url'];
  const base = resolveApiBase({ host, baseUrl });
  if (!base.ok) {
    const field = host !== undefined && baseUrl !== undefined ? 'apiBase' : baseUrl !== undefined ? 'baseUrl' : 'host';
    problems.push({ field, message: base.message });
  }
  return base;
}

function usage(message: string): AppError {
  return new AppError('invalid-input', message);
}

function invalid(problems: FieldProblem[]): AppError {
  return new AppError('invalid-input', problems.map((problem) => problem.message).join(' '), { problems });
}

function errorLines(error: unknown): string[] {
  if (error instanceof AppError) {
    if (error.problems && error.problems.length > 0) {
      return error.problems.map((problem) => {
        const flag = FLAG_OF[problem.field];
        return flag ? `${flag}: ${problem.message}` : problem.message;
      });
    }
    return [error.message];
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return [`Unexpected failure (${detail}). This is a bug in ${PROGRAM}: please report it.`];
}

/** Everything secret this run knows of, to mask in any message. */
function secretsIn(argv: readonly string[], env: CliContext['env']): string[] {
  const found = [env['CE_USER_SECRET'], env['CE_ORG_SECRET'], env['FRESHDESK_API_KEY']];
  argv.forEach((arg, index) => {
    for (const flag of ['--api-key', '--password']) {
      if (arg === flag) found.push(argv[index + 1]);
      else if (arg.startsWith(`${flag}=`)) found.push(arg.slice(flag.length + 1));
    }
  });
  // As given, and as sent (the cleaned secret, without the whitespace around it).
  return [...new Set(found.flatMap((secret) => (secret === undefined ? [] : [secret, secret.trim()])))].filter(
    (secret) => secret !== '',
  );
}
