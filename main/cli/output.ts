import { randomBytes } from 'node:crypto';
import type { CreatedInstance, InstanceSummary } from '../core/instance-summary.js';

/** One instance as `--json` prints it: `id` is a JSON number with every digit, however big. */
function jsonShape(instance: InstanceSummary, marker: string): Record<string, unknown> {
  return {
    id: `${marker}${instance.id}`,
    name: instance.name,
    elementKey: instance.elementKey,
    encodedId: instance.encodedId,
    eventsUrl: instance.eventsUrl,
    createdDate: instance.createdDate ?? null,
  };
}

/** JSON.stringify, with the marked ids turned back into bare numbers (never through a float). */
function stringifyWithIds(value: unknown, marker: string): string {
  return `${JSON.stringify(value, null, 2).replace(new RegExp(`"${marker}(\\d+)"`, 'g'), '$1')}\n`;
}

function newMarker(): string {
  return `@@id-${randomBytes(8).toString('hex')}@@`;
}

export function createdJson(instance: CreatedInstance): string {
  const marker = newMarker();
  return stringifyWithIds({ ...jsonShape(instance, marker), reconciled: instance.reconciled }, marker);
}

export function instancesJson(instances: readonly InstanceSummary[]): string {
  const marker = newMarker();
  return stringifyWithIds(
    instances.map((instance) => jsonShape(instance, marker)),
    marker,
  );
}

/** Server-supplied text goes to a terminal: no control characters (escape sequences, line breaks). */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

export function createdSummary(instance: CreatedInstance): string {
  const lines: string[] = [];
  if (instance.reconciled) {
    lines.push('The answer to the create request was lost; the instance was found by name, so it exists once.');
  }
  lines.push(
    `Created instance ${instance.id} "${printable(instance.name)}" (element ${printable(instance.elementKey)}).`,
  );
  lines.push(`Instance ID:  ${instance.id}`);
  if (instance.eventsUrl === '') {
    lines.push('Events URL:   none: this element receives events by polling, so no Freshdesk rule is needed.');
  } else {
    lines.push(`Encoded ID:   ${instance.encodedId}`, `Events URL:   ${instance.eventsUrl}`);
    lines.push(
      '',
      'Next: in Freshdesk, Admin > Automations > Ticket updates (legacy: Admin > Observer), add a rule with the',
      'action "Trigger Webhook": request type POST, encoding JSON, URL = the events URL above.',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function instancesTable(instances: readonly InstanceSummary[]): string {
  if (instances.length === 0) return 'No instances in this account.\n';
  const rows = [
    ['ID', 'NAME', 'ELEMENT', 'EVENTS URL'],
    ...instances.map((instance) => [
      instance.id,
      printable(instance.name),
      printable(instance.elementKey),
      instance.eventsUrl !== ''
        ? instance.eventsUrl
        : instance.elementKey === 'freshdeskv2'
          ? '(polling: no events URL)'
          : '(no events URL for this element)',
    ]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
