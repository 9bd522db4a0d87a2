/**
 * What a finished setup leaves the user: everything needed to find and check
 * it later, and nothing secret (the type has no field for a secret, and the
 * IPC schema refuses any extra one).
 */
export interface SetupSummary {
  apiBase: string;
  subdomain: string;
  elementKey: string;
  instanceId: string;
  instanceName: string;
  /** Empty for freshdeskv2, which polls and has no events URL. */
  encodedId: string;
  eventsUrl: string;
  callbackUrl: string;
  /** The Freshdesk ticket-updates rule, when the app created or found it. */
  rule?: { id: number; name: string; created: boolean } | undefined;
}

export function summaryMarkdown(summary: SetupSummary): string {
  const rows: [string, string][] = [
    ['Cloud Elements API', summary.apiBase],
    ['Freshdesk account', summary.subdomain ? `https://${summary.subdomain}.freshdesk.com` : '(not set)'],
    ['Element', summary.elementKey],
    ['Instance ID', summary.instanceId],
    ['Instance name', summary.instanceName],
  ];
  if (summary.eventsUrl) {
    rows.push(['Encoded ID (base64)', summary.encodedId], ['Events URL (in the Freshdesk rule)', summary.eventsUrl]);
  } else {
    rows.push(['Events', 'by polling (freshdeskv2): no events URL, no Freshdesk rule']);
  }
  rows.push(['Callback URL (your app)', summary.callbackUrl || '(not set)']);
  if (summary.rule) {
    rows.push([
      'Freshdesk rule',
      `${summary.rule.name} (ID ${summary.rule.id}, ${summary.rule.created ? 'created' : 'reused'})`,
    ]);
  }
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  return [
    '# Freshdesk events setup',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([label, value]) => `| ${label} | \`${escape(value)}\` |`),
    '',
    'No secrets are included in this summary.',
    '',
  ].join('\n');
}

export function summaryJson(summary: SetupSummary): string {
  const { rule, ...rest } = summary;
  return `${JSON.stringify({ ...rest, ...(rule ? { rule } : {}) }, null, 2)}\n`;
}
