import { API_PATH, isLoopbackHost } from './api-base.js';
import { decodeAsciiBase64, encodeAsciiBase64 } from './base64.js';
import { accept, refuse, type Checked } from './errors.js';
import { POLLING_ELEMENTS, WEBHOOK_ELEMENT } from './events-url.js';

/**
 * The Freshdesk automation rule that makes ticket updates reach Cloud
 * Elements: a rule that runs on ticket updates (automation type 4, legacy
 * name "Observer") whose one action is Trigger Webhook, POST, encoding JSON,
 * to the instance's events URL. Pure: building, checking, matching.
 */

/** `automation_type_id` of rules that run on ticket updates (legacy "Observer"); 1 is ticket creation, 3 time triggers. */
export const TICKET_UPDATES_AUTOMATION = 4;

export const DEFAULT_RULE_NAME = 'Cloud Elements events (freshdesk)';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface RuleEvent {
  field_name: string;
  from?: string;
  to?: string;
  value?: JsonValue;
}

export interface ConditionProperty {
  resource_type: string;
  field_name: string;
  operator: string;
  value: JsonValue;
}

export interface ConditionSet {
  name: string;
  match_type: 'all' | 'any';
  properties: ConditionProperty[];
}

/** The Trigger Webhook action. Every key here must be sent: Freshdesk answers 500 when one is missing. */
export interface WebhookAction {
  field_name: 'trigger_webhook';
  request_type: 'POST';
  url: string;
  content_type: 'JSON';
  content_layout: string;
  content: JsonObject;
}

/** The `POST /api/v2/automations/4/rules` body. */
export interface TicketUpdateRuleBody {
  name: string;
  active: boolean;
  performer: { type: number };
  events: RuleEvent[];
  conditions: ConditionSet[];
  actions: WebhookAction[];
}

/**
 * UNCONFIRMED: every detail of the rule that no primary source settled, in
 * one place so that it is easy to change once someone captures the exact
 * shape from a live account (create one rule in the UI, then
 * `GET /api/v2/automations/4/rules/{id}`). Sources: reference
 * cloud-elements-and-freshdesk.md §2.1 and §2.2.
 * - `contentLayout`: a public setup script that works sends `"advanced"`; the
 *   terraform-provider-freshdesk test sends `"2"`. Which one the API wants is
 *   unconfirmed (the emulator accepts both).
 * - `performer`: `{type: 3}` is what the working script sends; the mapping of
 *   performer type numbers (agent, requester, anyone, system) is unconfirmed.
 * - `events`: the working script's "status changed from any to any"
 *   (`"--"` means any value). Other event field names are unconfirmed, so the
 *   rule fires on status changes only; add entries here to widen it.
 * - `conditions`: the working script's "priority is any of 1..4", which every
 *   ticket matches. A rule sent without conditions comes back with one empty
 *   condition set (terraform-provider-freshdesk CHANGELOG 0.1.2).
 * - `content`: the body Freshdesk posts in the Advanced layout. The
 *   placeholders are the documented ones (`{{ticket.id}}`, `{{ticket.url}}`,
 *   `{{ticket.status}}`, `{{ticket.requester.email}}`, `{{triggered_event}}`;
 *   subject and priority from the zulip integration). The `freshdesk_webhook`
 *   root mirrors what the Simple layout sends (as zulip's parser expects);
 *   what Cloud Elements' `freshdesk` element reads from it is unconfirmed.
 */
export const UNCONFIRMED_RULE_DETAILS: Readonly<RuleDetails> = Object.freeze<RuleDetails>({
  contentLayout: 'advanced',
  performer: { type: 3 },
  events: [{ field_name: 'status', from: '--', to: '--' }],
  conditions: [
    {
      name: 'condition_set_1',
      match_type: 'all',
      properties: [{ resource_type: 'ticket', field_name: 'priority', operator: 'in', value: [1, 2, 3, 4] }],
    },
  ],
  content: {
    freshdesk_webhook: {
      triggered_event: '{{triggered_event}}',
      ticket_id: '{{ticket.id}}',
      ticket_url: '{{ticket.url}}',
      ticket_subject: '{{ticket.subject}}',
      ticket_status: '{{ticket.status}}',
      ticket_priority: '{{ticket.priority}}',
      requester_email: '{{ticket.requester.email}}',
    },
  },
});

/** The shape of UNCONFIRMED_RULE_DETAILS. */
export interface RuleDetails {
  contentLayout: string;
  performer: { type: number };
  events: RuleEvent[];
  conditions: ConditionSet[];
  content: JsonObject;
}

/** The fields a Trigger Webhook action cannot go without (Freshdesk answers 500, not a validation error). */
export const REQUIRED_WEBHOOK_FIELDS = ['url', 'request_type', 'content_type', 'content_layout', 'content'] as const;

const EXAMPLE_URL = `https://api.cloud-elements.com${API_PATH}/events/${WEBHOOK_ELEMENT}/MjA5MzE=`;
const EVENTS_PATH = `${API_PATH}/events/`;

/**
 * Checks that a URL is a Cloud Elements events URL for the webhook-based
 * Freshdesk element, `https://<host>/elements/api-v2/events/freshdesk/<base64 id>`,
 * and returns it normalized (host in lower case). Plain http only on loopback.
 * Each known way of getting it wrong has its own message.
 */
export function checkEventsUrl(input: string): Checked<string> {
  const text = input.trim();
  if (text === '') return refuse(`The events URL is empty: it looks like ${EXAMPLE_URL}.`);
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\//i.test(text)) {
    return refuse(`The events URL must start with https:// (got "${shorten(text)}"): add https:// in front.`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(`"${shorten(text)}" is not a URL: the events URL looks like ${EXAMPLE_URL}.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return refuse(
      `The events URL must start with https:// (got ${url.protocol}//${url.host}): Freshdesk must post to Cloud Elements over https.`,
    );
  }
  if (url.username || url.password) return refuse('The events URL must not contain a user name or password.');
  if (url.search || url.hash) return refuse('The events URL must not contain a query (?) or a fragment (#).');
  const path = url.pathname;
  if (/%3d/i.test(path)) {
    return refuse(
      'The padding of the encoded id is percent-escaped (%3D): write = as it is, like …/freshdesk/MjA5MzE=.',
    );
  }
  if (path.includes('//'))
    return refuse(`The events URL has a double slash in its path (${path}): remove the extra /.`);
  if (!path.startsWith(EVENTS_PATH)) {
    if (path.startsWith('/api-v2/events/')) {
      return refuse(`The events URL's path must start with ${EVENTS_PATH} (the /elements part is missing).`);
    }
    return refuse(`The events URL's path must start with ${EVENTS_PATH}, like ${EXAMPLE_URL} (got ${path}).`);
  }
  const [key = '', encoded, ...rest] = path.slice(EVENTS_PATH.length).split('/');
  if (POLLING_ELEMENTS.includes(key)) {
    return refuse(
      `The ${key} element receives events by polling: it has no events URL and needs no Freshdesk rule. Use .../events/${WEBHOOK_ELEMENT}/<encoded id> with a ${WEBHOOK_ELEMENT} instance.`,
    );
  }
  if (key !== WEBHOOK_ELEMENT) {
    return refuse(
      `The events URL must name the ${WEBHOOK_ELEMENT} element (…/events/${WEBHOOK_ELEMENT}/<encoded id>), not "${key}".`,
    );
  }
  if (encoded === undefined || encoded === '') {
    return refuse(
      `The events URL ends before the encoded instance id: add it, like …/events/${WEBHOOK_ELEMENT}/MjA5MzE=.`,
    );
  }
  if (rest.length > 0) {
    return refuse(
      rest.length === 1 && rest[0] === ''
        ? 'The events URL ends with a slash after the encoded id: remove it.'
        : `The events URL has more after the encoded id (${path}): it ends with the encoded id.`,
    );
  }
  const problem = encodedIdProblem(encoded);
  if (problem !== undefined) return refuse(problem);
  return accept(url.href);
}

/** Why a path segment is not the canonical base64 of an instance id, or undefined when it is. */
function encodedIdProblem(encoded: string): string | undefined {
  // Digits only never decode to digits (their sextets make bytes above 0xCF): this is an id not yet encoded.
  if (/^[1-9]\d*$/.test(encoded)) {
    return `${encoded} is the plain instance id: the URL needs its base64 form, ${encodeAsciiBase64(encoded)}.`;
  }
  const decoded = decodeAsciiBase64(encoded);
  if (decoded !== undefined) {
    if (isInstanceId(decoded)) return undefined;
    const trimmed = decoded.replace(/\r?\n$/, '');
    if (trimmed !== decoded && isInstanceId(trimmed)) {
      return `${encoded} encodes "${trimmed}" followed by a line break (echo | base64 adds one): use ${encodeAsciiBase64(trimmed)}.`;
    }
  }
  if (/^[A-Za-z0-9+/]+$/.test(encoded) && encoded.length % 4 !== 0) {
    const padded = encoded + '='.repeat((4 - (encoded.length % 4)) % 4);
    const unpadded = decodeAsciiBase64(padded);
    if (unpadded !== undefined && isInstanceId(unpadded)) {
      return `${encoded} has lost its base64 padding: use ${padded}.`;
    }
  }
  return `${shorten(encoded)} is not the base64 form of an instance id (like MjA5MzE= for 20931).`;
}

function isInstanceId(text: string | undefined): boolean {
  return text !== undefined && /^[1-9]\d*$/.test(text);
}

/** Builds the rule body for an events URL; refuses a URL that is not a Freshdesk events URL, or an unusable name. */
export function buildWebhookRule(eventsUrl: string, options: { name?: string } = {}): Checked<TicketUpdateRuleBody> {
  const url = checkEventsUrl(eventsUrl);
  if (!url.ok) return url;
  const name = (options.name ?? DEFAULT_RULE_NAME).trim();
  if (name === '') return refuse('The rule name is empty: name it, for example "Cloud Elements events (freshdesk)".');
  const details = UNCONFIRMED_RULE_DETAILS;
  const body: TicketUpdateRuleBody = {
    name,
    active: true,
    performer: structuredClone(details.performer),
    events: structuredClone(details.events),
    conditions: structuredClone(details.conditions),
    actions: [
      {
        field_name: 'trigger_webhook',
        request_type: 'POST',
        url: url.value,
        content_type: 'JSON',
        content_layout: details.contentLayout,
        content: structuredClone(details.content),
      },
    ],
  };
  return checkRuleBody(body);
}

/**
 * Refuses a Trigger Webhook action that must not be sent: one missing any of
 * REQUIRED_WEBHOOK_FIELDS (Freshdesk answers 500 instead of naming what is
 * missing), one that is not POST with JSON encoding, or one whose URL is not a
 * Freshdesk events URL (checkEventsUrl).
 */
export function checkWebhookAction(action: unknown): Checked<WebhookAction> {
  if (!isRecord(action)) return refuse('The rule action is not an object.');
  if (action['field_name'] !== 'trigger_webhook') {
    return refuse(`The rule action is ${JSON.stringify(action['field_name'] ?? null)}, not trigger_webhook.`);
  }
  const missing = REQUIRED_WEBHOOK_FIELDS.filter((field) => {
    const value = action[field];
    if (field === 'content') return !isRecord(value) || Object.keys(value).length === 0;
    return typeof value !== 'string' || value.trim() === '';
  });
  if (missing.length > 0) {
    return refuse(
      `The Trigger Webhook action is missing ${missing.join(', ')}: Freshdesk answers such an action with a server error (500) instead of saying what is missing, so it is not sent.`,
    );
  }
  if (action['request_type'] !== 'POST') {
    return refuse(
      `The Trigger Webhook action must use POST (got ${String(action['request_type'])}): Cloud Elements takes events by POST only.`,
    );
  }
  if (action['content_type'] !== 'JSON') {
    return refuse(
      `The Trigger Webhook action must use the JSON encoding (got ${String(action['content_type'])}): Cloud Elements reads events as JSON.`,
    );
  }
  const url = checkEventsUrl(String(action['url']));
  if (!url.ok) return url;
  return accept({
    field_name: 'trigger_webhook',
    request_type: 'POST',
    url: url.value,
    content_type: 'JSON',
    content_layout: String(action['content_layout']),
    content: action['content'] as JsonObject,
  });
}

/** Checks a whole rule body before it is sent: a name, at least one action, and every Trigger Webhook action complete. */
export function checkRuleBody(body: TicketUpdateRuleBody): Checked<TicketUpdateRuleBody> {
  if (!isRecord(body)) return refuse('The rule is not an object.');
  if (typeof body.name !== 'string' || body.name.trim() === '') return refuse('The rule has no name.');
  if (!Array.isArray(body.actions) || body.actions.length === 0) return refuse('The rule has no action.');
  for (const action of body.actions as unknown[]) {
    if (isRecord(action) && action['field_name'] !== 'trigger_webhook') continue;
    const checked = checkWebhookAction(action);
    if (!checked.ok) return checked;
  }
  return accept(body);
}

/**
 * True when a rule as Freshdesk returns it (GET /api/v2/automations/4/rules)
 * already posts to this events URL: a ticket-updates rule with a
 * trigger_webhook action, request type POST, to the same URL (compared after
 * URL normalization, so host case does not matter but the encoded id does).
 * A rule that says it belongs to another automation type never matches; a rule
 * that does not say is taken as type 4, since that list holds only type 4.
 */
export function rulePostsTo(rule: unknown, eventsUrl: string): boolean {
  return webhookActionFor(rule, eventsUrl) !== undefined;
}

/** The first rule in a list that posts to the events URL (see rulePostsTo). */
export function findWebhookRule<T>(rules: readonly T[], eventsUrl: string): T | undefined {
  return rules.find((rule) => rulePostsTo(rule, eventsUrl));
}

/**
 * What would stop an existing matching rule from delivering events, as
 * messages to show next to "reused": inactive, not JSON, outdated.
 */
export function reuseWarnings(rule: unknown, eventsUrl: string): string[] {
  const action = webhookActionFor(rule, eventsUrl);
  if (!isRecord(rule) || action === undefined) return [];
  const name = typeof rule['name'] === 'string' ? `"${rule['name']}"` : 'The rule';
  const warnings: string[] = [];
  if (rule['active'] === false) {
    warnings.push(`${name} is turned off: turn it on under Admin > Automations > Ticket updates, or no event is sent.`);
  }
  const contentType = action['content_type'];
  if (typeof contentType === 'string' && contentType.toUpperCase() !== 'JSON') {
    warnings.push(
      `${name} posts with the ${contentType} encoding: set Encoding to JSON in its Trigger Webhook action.`,
    );
  }
  if (rule['outdated'] === true) {
    warnings.push(
      `Freshdesk marks ${name} as outdated (it refers to a field that no longer exists), so it does not fire: edit and save it.`,
    );
  }
  return warnings;
}

function webhookActionFor(rule: unknown, eventsUrl: string): Record<string, unknown> | undefined {
  if (!isRecord(rule)) return undefined;
  const type = rule['automation_type_id'];
  if (type !== undefined && Number(type) !== TICKET_UPDATES_AUTOMATION) return undefined;
  const actions = rule['actions'];
  if (!Array.isArray(actions)) return undefined;
  const wanted = normalizedUrl(eventsUrl);
  if (wanted === undefined) return undefined;
  return actions.find(
    (action: unknown): action is Record<string, unknown> =>
      isRecord(action) &&
      action['field_name'] === 'trigger_webhook' &&
      typeof action['request_type'] === 'string' &&
      action['request_type'].trim().toUpperCase() === 'POST' &&
      typeof action['url'] === 'string' &&
      normalizedUrl(action['url']) === wanted,
  );
}

function normalizedUrl(text: string): string | undefined {
  try {
    return new URL(text.trim()).href;
  } catch {
    return undefined;
  }
}

function shorten(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sample values for the content placeholders: what a ticket update looks like when Freshdesk sends it. */
const SAMPLE_VALUES: Record<string, string> = {
  '{{triggered_event}}': '{status:{from:Open,to:Pending}}',
  '{{ticket.id}}': '42',
  '{{ticket.url}}': 'https://acme.freshdesk.com/helpdesk/tickets/42',
  '{{ticket.subject}}': 'Test event from the Freshdesk Events Setup Assistant',
  '{{ticket.status}}': 'Pending',
  '{{ticket.priority}}': 'Medium',
  '{{ticket.requester.email}}': 'requester@example.com',
};

/** A Freshdesk-style webhook body built from the rule's own content, placeholders filled with sample values. */
export function sampleWebhookPayload(subdomain = 'acme'): JsonObject {
  const fill = (value: JsonValue): JsonValue => {
    if (typeof value === 'string') {
      return value.replace(/\{\{[^}]+\}\}/g, (placeholder) =>
        (SAMPLE_VALUES[placeholder] ?? placeholder).replace('acme.freshdesk.com', `${subdomain}.freshdesk.com`),
      );
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fill(inner)]));
    }
    return value;
  };
  return fill(UNCONFIRMED_RULE_DETAILS.content) as JsonObject;
}
