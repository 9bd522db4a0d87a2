import { parseArgs } from 'node:util';
import { resolveApiBase, type ApiBase } from '../core/api-base.js';
import { AppError, exitCodeFor, type FieldProblem } from '../core/errors.js';
import { buildEventsUrl, WEBHOOK_ELEMENT } from '../core/events-url.js';
import { parseInstanceId } from '../core/instance-id.js';
import { buildInstanceRequest, type FreshdeskAuth } from '../core/instance-request.js';
import { redactSecrets } from '../core/redact.js';
import { createCloudElementsClient, type CloudElementsCredentials } from '../services/cloud-elements.js';
import { COMMAND_HELP, COMMANDS, isCommand, PROGRAM, USAGE, type Command } from './help.js';
import { createdJson, createdSummary, instancesJson, instancesTable } from './output.js';

export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

/** Exit status for failures outside the contract (a bug): distinct from 2, 3 and 4. */
const INTERNAL_FAILURE = 1;

/** Which option each validation field comes from, so a problem line names what to change. */
const FLAG_OF: Record<string, string> = {
  apiBase: '--host/--base-url',
  instanceId: '<instance-id>',
  element: '--element',
  name: '--name',
  subdomain: '--subdomain',
  callbackUrl: '--callback-url',
  apiKey: '--api-key',
  username: '--username',
  password: '--password',
  tags: '--tag',
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
  if (first === undefined) throw usage(`no command given: run ${PROGRAM} --help to see the commands.`);
  if (first === '--help' || first === '-h') {
    context.stdout(USAGE);
    return 0;
  }
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) context.stdout(USAGE);
    else if (isCommand(topic) && extra.length === 0) context.stdout(COMMAND_HELP[topic]);
    else throw usage(`no help for "${[topic, ...extra].join(' ')}": the commands are ${COMMANDS.join(', ')}.`);
    return 0;
  }
  if (!isCommand(first)) {
    throw usage(`unknown command "${first}": the commands are ${COMMANDS.join(', ')} (run ${PROGRAM} --help).`);
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
  }
}

function urlCommand(args: readonly string[], context: CliContext): number {
  // "-5" would read as an unknown short option; let it through as the id so the answer is "negative".
  const numberLike = (arg: string) => /^-\d/.test(arg);
  const { values, positionals } = parse('url', () =>
    parseArgs({
      args: args.filter((arg) => !numberLike(arg)),
      options: { host: { type: 'string' }, 'base-url': { type: 'string' }, element: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const ids = [...positionals, ...args.filter(numberLike)];
  if (ids.length === 0) throw usage(`give the instance ID, for example: ${PROGRAM} url 20931`);

  const problems: FieldProblem[] = [];
  const base = resolveApiBase({ host: values.host, baseUrl: values['base-url'] });
  if (!base.ok) problems.push({ field: 'apiBase', message: base.message });
  const id = parseInstanceId(ids.join(' '));
  if (!id.ok) problems.push({ field: 'instanceId', message: id.message });
  if (!base.ok || !id.ok) throw invalid(problems);

  const events = buildEventsUrl(base.value, id.value, values.element ?? WEBHOOK_ELEMENT);
  if (!events.ok) throw invalid([{ field: 'element', message: events.message }]);
  context.stdout(`${events.value.url}\n`);
  return 0;
}

async function createCommand(args: readonly string[], context: CliContext): Promise<number> {
  const { values } = parse('create', () =>
    parseArgs({
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
    }),
  );

  const problems: FieldProblem[] = [];
  const base = resolveApiBase({ host: values.host, baseUrl: values['base-url'] });
  if (!base.ok) problems.push({ field: 'apiBase', message: base.message });

  let auth: FreshdeskAuth;
  const usesPassword = values.username !== undefined || values.password !== undefined;
  if (usesPassword && values['api-key'] !== undefined) {
    problems.push({ field: 'apiKey', message: 'give either --api-key or --username with --password, not both.' });
  }
  if (usesPassword) {
    auth = { kind: 'password', username: values.username ?? '', password: values.password ?? '' };
  } else {
    auth = { kind: 'apiKey', apiKey: values['api-key'] ?? context.env['FRESHDESK_API_KEY'] ?? '' };
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
                'give the Freshdesk API key with --api-key or FRESHDESK_API_KEY (Freshdesk: Profile settings > Your API key), or use --username and --password.',
            }
          : problem,
      );
    }
  }
  if (problems.length > 0 || !base.ok || !request.ok) throw invalid(problems);

  const client = connect(base.value, context);
  const created = await client.createInstance(request.body, signalOf(context));
  context.stdout(values.json ? createdJson(created) : createdSummary(created));
  return 0;
}

async function instancesCommand(args: readonly string[], context: CliContext): Promise<number> {
  const { values } = parse('instances', () =>
    parseArgs({
      args: [...args],
      options: { host: { type: 'string' }, 'base-url': { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: false,
      strict: true,
    }),
  );
  const base = resolveApiBase({ host: values.host, baseUrl: values['base-url'] });
  if (!base.ok) throw invalid([{ field: 'apiBase', message: base.message }]);
  const instances = await connect(base.value, context).listInstances(signalOf(context));
  context.stdout(values.json ? instancesJson(instances) : instancesTable(instances));
  return 0;
}

function connect(apiBase: ApiBase, context: CliContext) {
  return createCloudElementsClient({ apiBase, credentials: credentialsFromEnv(context.env) });
}

function signalOf(context: CliContext): { signal?: AbortSignal } {
  return context.signal ? { signal: context.signal } : {};
}

/** Both secrets from the environment, exactly as set (the client refuses malformed ones). */
function credentialsFromEnv(env: CliContext['env']): CloudElementsCredentials {
  const userSecret = env['CE_USER_SECRET'] ?? '';
  const orgSecret = env['CE_ORG_SECRET'] ?? '';
  const missing = [userSecret === '' ? 'CE_USER_SECRET' : '', orgSecret === '' ? 'CE_ORG_SECRET' : ''].filter(
    (name) => name !== '',
  );
  if (missing.length > 0) {
    throw new AppError(
      'credentials',
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: set both CE_USER_SECRET and CE_ORG_SECRET to your Cloud Elements user and organization secrets (Cloud Elements console > Secrets).`,
    );
  }
  return { userSecret, orgSecret };
}

/** Runs node:util parseArgs and turns its errors into usage errors. */
function parse<T>(command: Command, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw error;
    }
    // Node's first sentence names the option ("Unknown option '--x'", "Option '--name <value>' argument missing").
    const first = error.message.split(/\.\s/)[0] ?? error.message;
    throw usage(`${first}: run ${PROGRAM} ${command} --help.`);
  }
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
  return [`unexpected failure (${detail}). This is a bug in ${PROGRAM}: please report it.`];
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
  return found.filter((secret): secret is string => secret !== undefined && secret !== '');
}
