export const COMMANDS = ['url', 'create', 'instances', 'login', 'logout', 'doctor', 'webhook-rule'] as const;
export type Command = (typeof COMMANDS)[number];

export const PROGRAM = 'freshdesk-events';

/** One option: its flag, then its description, one line per entry. */
type OptionRow = readonly [flag: string, ...description: string[]];

/** An aligned options table: every description starts in the same column, continuation lines included. */
function options(rows: readonly OptionRow[]): string {
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 3;
  return rows
    .flatMap(([flag, first = '', ...more]) => [
      `  ${flag.padEnd(width)}${first}`,
      ...more.map((line) => `  ${' '.repeat(width)}${line}`),
    ])
    .join('\n');
}

const HOST: OptionRow = [
  '--host HOST',
  'Cloud Elements host (default api.cloud-elements.com; EU: api.cloud-elements.co.uk)',
];
const TARGET: readonly OptionRow[] = [
  HOST,
  [
    '--base-url URL',
    'a whole API base instead, e.g. https://api.cloud-elements.co.uk/elements/api-v2',
    '(plain http:// only for loopback addresses such as a local emulator)',
  ],
];
const LOGIN_TARGET: readonly OptionRow[] = [
  HOST,
  ['--base-url URL', 'a whole API base instead (the keychain entry is per host)'],
];
const HELP: OptionRow = ['-h, --help', 'show this help'];

const SECRETS = `Cloud Elements secrets come from CE_USER_SECRET and CE_ORG_SECRET when both are set,
else from the OS keychain entry that "${PROGRAM} login" (or the app) saved for the host.`;

const EXIT = `Exit status: 0 done; 2 bad input or usage, or refused by the server as a bad request;
3 secrets missing or rejected; 4 network or server failure (timeouts, 5xx, unreadable answers).`;

export const USAGE = `Usage: ${PROGRAM} <command> [options]

Sets up Cloud Elements (SAP Open Connectors) Freshdesk ticket events.

Commands:
  url <instance-id>   print the events URL to put into the Freshdesk webhook rule
  create              create a freshdesk instance and print its events URL
  instances           list the account's instances with their events URLs
  login               save the Cloud Elements secrets in the OS keychain (asked without echo)
  logout              remove them from the OS keychain
  webhook-rule        create (or find) the Freshdesk rule that posts ticket updates to the events URL
  doctor              check the keychain, the host and the secrets
  help [command]      show this help, or a command's help

Options:
  -h, --help          show this help
  -v, --version       print the version of ${PROGRAM}

Run "${PROGRAM} <command> --help" for a command's options.

${SECRETS}
${EXIT}
`;

export const COMMAND_HELP: Record<Command, string> = {
  url: `Usage: ${PROGRAM} url <instance-id> [--host HOST | --base-url URL] [--element KEY]

Prints exactly the events URL for an instance: the API base, /events/<element>/,
and the instance ID in base64. Nothing is sent over the network.

${options([
  ['<instance-id>', 'the numeric "id" of the instance, e.g. 20931 (not its token)'],
  ...TARGET,
  ['--element KEY', 'element key (default freshdesk)'],
  HELP,
])}

Example: ${PROGRAM} url 20931
  https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=
`,
  create: `Usage: ${PROGRAM} create --name NAME --subdomain SUB --callback-url URL
         (--api-key KEY | --username U --password P) [--tag T]...
         [--host HOST | --base-url URL] [--json]

Creates a freshdesk instance with events enabled and prints its ID and events URL.
Refuses a name that an instance already has. If the answer is lost, the instance
is looked up by name instead of being created twice.

${options([
  ['--name NAME', 'instance name, unique in the account'],
  ['--subdomain SUB', 'Freshdesk subdomain: acme, acme.freshdesk.com or https://acme.freshdesk.com/'],
  [
    '--callback-url URL',
    "your app's https endpoint, where Cloud Elements will POST the events",
    '(not the /events/... URL: that one goes into Freshdesk)',
  ],
  [
    '--api-key KEY',
    'Freshdesk API key (default: FRESHDESK_API_KEY, else the one the app saved',
    'in the OS keychain for this subdomain)',
  ],
  ['--username U', 'Freshdesk username, with --password, instead of an API key'],
  ['--password P', 'Freshdesk password'],
  ['--tag T', 'a tag for the instance; repeat for several'],
  ...TARGET,
  ['--json', 'print one JSON object: id, name, encodedId, eventsUrl, elementKey, createdDate, reconciled'],
  HELP,
])}

${SECRETS}
${EXIT}
`,
  instances: `Usage: ${PROGRAM} instances [--host HOST | --base-url URL] [--json]

Lists every instance of the account with its ID, element and events URL
(polling elements such as freshdeskv2 have none).

${options([
  ...TARGET,
  ['--json', 'print a JSON array of objects: id, name, elementKey, encodedId, eventsUrl, createdDate'],
  HELP,
])}

${SECRETS}
${EXIT}
`,
  login: `Usage: ${PROGRAM} login [--host HOST | --base-url URL] [--no-check]

Asks for the user secret and the organization secret (without echo on a terminal;
otherwise reads them from standard input, one per line: user secret, then organization
secret), checks them against the host, and saves them in the OS keychain.

${options([...LOGIN_TARGET, ['--no-check', 'save without checking them against the host'], HELP])}

${EXIT}
`,
  logout: `Usage: ${PROGRAM} logout [--host HOST | --base-url URL]

Removes the secrets saved for the host from the OS keychain.

${options([...LOGIN_TARGET, HELP])}
`,
  doctor: `Usage: ${PROGRAM} doctor [--host HOST | --base-url URL]

Checks, one line each: is the OS keychain usable, are secrets available for the host,
does the host answer and accept them, and is the webhook-based freshdesk element
available (or only freshdeskv2, which delivers events by polling).

${options([...LOGIN_TARGET, HELP])}

${EXIT}
`,
  'webhook-rule': `Usage: ${PROGRAM} webhook-rule --subdomain SUB --events-url URL [--freshdesk-base-url URL]
         [--name NAME] [--api-key KEY] [--json]

Creates, through Freshdesk's API, the rule that runs on ticket updates (legacy name: Observer)
with the action Trigger Webhook: POST, encoding JSON, to the events URL. An existing rule that
already posts to the URL is reused, never doubled. The rule is read back after creating it.

${options([
  ['--subdomain SUB', 'Freshdesk subdomain: acme, acme.freshdesk.com or https://acme.freshdesk.com/'],
  ['--events-url URL', 'the Cloud Elements events URL (freshdesk-events url <instance-id> prints it)'],
  [
    '--freshdesk-base-url URL',
    'the Freshdesk account URL instead (default https://SUB.freshdesk.com;',
    'plain http:// only for loopback addresses such as a local emulator)',
  ],
  ['--name NAME', 'rule name (default "Cloud Elements events (freshdesk)")'],
  [
    '--api-key KEY',
    'Freshdesk API key of an admin (default: FRESHDESK_API_KEY, else the one the app',
    'saved in the OS keychain for this subdomain)',
  ],
  ['--json', 'print one JSON object: id, name, active, created, warnings, eventsUrl'],
  HELP,
])}

${EXIT}
`,
};

export function isCommand(name: string): name is Command {
  return (COMMANDS as readonly string[]).includes(name);
}
