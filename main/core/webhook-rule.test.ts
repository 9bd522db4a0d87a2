import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULE_NAME,
  UNCONFIRMED_RULE_DETAILS,
  buildWebhookRule,
  checkEventsUrl,
  checkRuleBody,
  checkWebhookAction,
  findWebhookRule,
  reuseWarnings,
  rulePostsTo,
  type TicketUpdateRuleBody,
} from './webhook-rule.js';

const URL_US = 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=';
const URL_EU = 'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MTIzNA==';

const CONTENT = {
  freshdesk_webhook: {
    triggered_event: '{{triggered_event}}',
    ticket_id: '{{ticket.id}}',
    ticket_url: '{{ticket.url}}',
    ticket_subject: '{{ticket.subject}}',
    ticket_status: '{{ticket.status}}',
    ticket_priority: '{{ticket.priority}}',
    requester_email: '{{ticket.requester.email}}',
  },
};

function built(url: string, name?: string): TicketUpdateRuleBody {
  const checked = buildWebhookRule(url, name === undefined ? {} : { name });
  if (!checked.ok) throw new Error(checked.message);
  return checked.value;
}

function refusal(checked: { ok: true } | { ok: false; message: string }): string {
  if (checked.ok) throw new Error('expected a refusal');
  return checked.message;
}

/** A complete action, for removing one key at a time. */
function action(): Record<string, unknown> {
  return {
    field_name: 'trigger_webhook',
    request_type: 'POST',
    url: URL_US,
    content_type: 'JSON',
    content_layout: 'advanced',
    content: { ticket_id: '{{ticket.id}}' },
  };
}

describe('buildWebhookRule', () => {
  it('builds the exact ticket-updates rule: one Trigger Webhook action, POST, JSON, to the events URL', () => {
    expect(built(URL_US)).toEqual({
      name: 'Cloud Elements events (freshdesk)',
      active: true,
      performer: { type: 3 },
      events: [{ field_name: 'status', from: '--', to: '--' }],
      conditions: [
        {
          name: 'condition_set_1',
          match_type: 'all',
          properties: [{ resource_type: 'ticket', field_name: 'priority', operator: 'in', value: [1, 2, 3, 4] }],
        },
      ],
      actions: [
        {
          field_name: 'trigger_webhook',
          request_type: 'POST',
          url: URL_US,
          content_type: 'JSON',
          content_layout: 'advanced',
          content: CONTENT,
        },
      ],
    });
    expect(JSON.stringify(built(URL_US).actions)).toBe(
      `[{"field_name":"trigger_webhook","request_type":"POST","url":"${URL_US}","content_type":"JSON","content_layout":"advanced","content":${JSON.stringify(CONTENT)}}]`,
    );
  });

  it('takes every unconfirmed detail from the one constant', () => {
    const body = built(URL_EU);
    const [webhook] = body.actions;
    expect(webhook?.content_layout).toBe(UNCONFIRMED_RULE_DETAILS.contentLayout);
    expect(webhook?.content).toEqual(UNCONFIRMED_RULE_DETAILS.content);
    expect(body.performer).toEqual(UNCONFIRMED_RULE_DETAILS.performer);
    expect(body.events).toEqual(UNCONFIRMED_RULE_DETAILS.events);
    expect(body.conditions).toEqual(UNCONFIRMED_RULE_DETAILS.conditions);
  });

  it('hands out copies: changing a built body does not change the next one', () => {
    const first = built(URL_US);
    first.events.push({ field_name: 'priority', from: '--', to: '--' });
    first.conditions[0]?.properties.pop();
    expect(built(URL_US).events).toEqual([{ field_name: 'status', from: '--', to: '--' }]);
    expect(built(URL_US).conditions[0]?.properties).toHaveLength(1);
  });

  it('keeps the EU host and the padding, and normalizes only the host case', () => {
    expect(built(URL_EU).actions[0]?.url).toBe(URL_EU);
    expect(built(' https://API.Cloud-Elements.com/elements/api-v2/events/freshdesk/MjA5MzE=\n').actions[0]?.url).toBe(
      URL_US,
    );
  });

  it('uses the default name, or the one given, trimmed', () => {
    expect(DEFAULT_RULE_NAME).toBe('Cloud Elements events (freshdesk)');
    expect(built(URL_US, '  Ticket events to CE  ').name).toBe('Ticket events to CE');
    expect(refusal(buildWebhookRule(URL_US, { name: '   ' }))).toBe(
      'The rule name is empty: name it, for example "Cloud Elements events (freshdesk)".',
    );
  });

  it('allows plain http only on loopback (tests and emulators)', () => {
    expect(built('http://127.0.0.1:4010/elements/api-v2/events/freshdesk/MjA5MzE=').actions[0]?.url).toBe(
      'http://127.0.0.1:4010/elements/api-v2/events/freshdesk/MjA5MzE=',
    );
    expect(built('http://localhost:4010/elements/api-v2/events/freshdesk/MjA5MzE=').actions[0]?.url).toBe(
      'http://localhost:4010/elements/api-v2/events/freshdesk/MjA5MzE=',
    );
  });
});

describe('checkEventsUrl', () => {
  it.each([
    [
      '',
      'The events URL is empty: it looks like https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=.',
    ],
    [
      'api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=',
      'The events URL must start with https:// (got "api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE="): add https:// in front.',
    ],
    [
      'events/freshdesk/MjA5MzE=',
      '"events/freshdesk/MjA5MzE=" is not a URL: the events URL looks like https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=.',
    ],
    [
      'http://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=',
      'The events URL must start with https:// (got http://api.cloud-elements.com): Freshdesk must post to Cloud Elements over https.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdeskv2/MjA5MzE=',
      'The freshdeskv2 element receives events by polling: it has no events URL and needs no Freshdesk rule. Use .../events/freshdesk/<encoded id> with a freshdesk instance.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/slack/MjA5MzE=',
      'The events URL must name the freshdesk element (…/events/freshdesk/<encoded id>), not "slack".',
    ],
    [
      'https://api.cloud-elements.com/api-v2/events/freshdesk/MjA5MzE=',
      "The events URL's path must start with /elements/api-v2/events/ (the /elements part is missing).",
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/instances',
      "The events URL's path must start with /elements/api-v2/events/, like https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE= (got /elements/api-v2/instances).",
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk//MjA5MzE=',
      'The events URL has a double slash in its path (/elements/api-v2/events/freshdesk//MjA5MzE=): remove the extra /.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=/',
      'The events URL ends with a slash after the encoded id: remove it.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/',
      'The events URL ends before the encoded instance id: add it, like …/events/freshdesk/MjA5MzE=.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE%3D',
      'The padding of the encoded id is percent-escaped (%3D): write = as it is, like …/freshdesk/MjA5MzE=.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzEK',
      'MjA5MzEK encodes "20931" followed by a line break (echo | base64 adds one): use MjA5MzE=.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MTIzNAo=',
      'MTIzNAo= encodes "1234" followed by a line break (echo | base64 adds one): use MTIzNA==.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE',
      'MjA5MzE has lost its base64 padding: use MjA5MzE=.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/20931',
      '20931 is the plain instance id: the URL needs its base64 form, MjA5MzE=.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/aGVsbG8=',
      'aGVsbG8= is not the base64 form of an instance id (like MjA5MzE= for 20931).',
    ],
    [
      'https://user:pw@api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=',
      'The events URL must not contain a user name or password.',
    ],
    [
      'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=?x=1',
      'The events URL must not contain a query (?) or a fragment (#).',
    ],
  ])('refuses %j', (input, message) => {
    expect(refusal(checkEventsUrl(input))).toBe(message);
  });

  it('accepts the canonical forms on any https host', () => {
    expect(checkEventsUrl(URL_US)).toEqual({ ok: true, value: URL_US });
    expect(checkEventsUrl(URL_EU)).toEqual({ ok: true, value: URL_EU });
    const sap = 'https://api.openconnectors.eu10.ext.hana.ondemand.com/elements/api-v2/events/freshdesk/NDcxMTk2';
    expect(checkEventsUrl(sap)).toEqual({ ok: true, value: sap });
  });
});

describe('checkWebhookAction: never send an incomplete Trigger Webhook action (Freshdesk answers 500)', () => {
  it.each(['url', 'request_type', 'content_type', 'content_layout', 'content'])(
    'refuses an action without %s',
    (field) => {
      const incomplete = Object.fromEntries(Object.entries(action()).filter(([key]) => key !== field));
      expect(refusal(checkWebhookAction(incomplete))).toBe(
        `The Trigger Webhook action is missing ${field}: Freshdesk answers such an action with a server error (500) instead of saying what is missing, so it is not sent.`,
      );
    },
  );

  it('names every missing field at once, and counts blank strings as missing', () => {
    expect(refusal(checkWebhookAction({ field_name: 'trigger_webhook', url: '  ', content: {} }))).toBe(
      'The Trigger Webhook action is missing url, request_type, content_type, content_layout, content: Freshdesk answers such an action with a server error (500) instead of saying what is missing, so it is not sent.',
    );
  });

  it('refuses another method, another encoding, another URL and another action', () => {
    expect(refusal(checkWebhookAction({ ...action(), request_type: 'GET' }))).toBe(
      'The Trigger Webhook action must use POST (got GET): Cloud Elements takes events by POST only.',
    );
    expect(refusal(checkWebhookAction({ ...action(), content_type: 'X-FORM-URLENCODED' }))).toBe(
      'The Trigger Webhook action must use the JSON encoding (got X-FORM-URLENCODED): Cloud Elements reads events as JSON.',
    );
    expect(refusal(checkWebhookAction({ ...action(), url: 'https://hooks.example.com/freshdesk' }))).toBe(
      "The events URL's path must start with /elements/api-v2/events/, like https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE= (got /freshdesk).",
    );
    expect(refusal(checkWebhookAction({ ...action(), field_name: 'send_email_to_agent' }))).toBe(
      'The rule action is "send_email_to_agent", not trigger_webhook.',
    );
    expect(refusal(checkWebhookAction('trigger_webhook'))).toBe('The rule action is not an object.');
  });

  it('accepts a complete action', () => {
    expect(checkWebhookAction(action())).toEqual({ ok: true, value: action() });
  });
});

describe('checkRuleBody', () => {
  it('refuses a rule whose Trigger Webhook action lost a key, and one with no action', () => {
    const body = built(URL_US);
    const stripped = { ...body, actions: [{ field_name: 'trigger_webhook' }] } as unknown as TicketUpdateRuleBody;
    expect(refusal(checkRuleBody(stripped))).toBe(
      'The Trigger Webhook action is missing url, request_type, content_type, content_layout, content: Freshdesk answers such an action with a server error (500) instead of saying what is missing, so it is not sent.',
    );
    expect(refusal(checkRuleBody({ ...body, actions: [] }))).toBe('The rule has no action.');
    expect(refusal(checkRuleBody({ ...body, name: ' ' }))).toBe('The rule has no name.');
  });

  it('accepts the built body unchanged', () => {
    const body = built(URL_US);
    expect(checkRuleBody(body)).toEqual({ ok: true, value: body });
  });
});

describe('rulePostsTo: does an existing rule (as GET returns it) already post to this URL?', () => {
  const existing = (overrides: Record<string, unknown> = {}, actionOverrides: Record<string, unknown> = {}) => ({
    id: 109866,
    name: 'Made in the admin UI',
    active: true,
    performer: { type: 1 },
    events: [{ field_name: 'priority', from: '--', to: '--' }],
    conditions: [{ name: 'condition_set_1', match_type: 'all', properties: [] }],
    actions: [
      { field_name: 'add_note', value: 'x' },
      {
        field_name: 'trigger_webhook',
        request_type: 'POST',
        url: URL_US,
        content_type: 'XML',
        content_layout: '2',
        ...actionOverrides,
      },
    ],
    ...overrides,
  });

  it('matches a ticket-updates rule with a POST Trigger Webhook to the same URL, whatever its other settings', () => {
    expect(rulePostsTo(existing(), URL_US)).toBe(true);
    expect(rulePostsTo(existing({ automation_type_id: 4 }), URL_US)).toBe(true);
    expect(rulePostsTo(existing({}, { request_type: 'post' }), URL_US)).toBe(true);
    expect(
      rulePostsTo(
        existing({}, { url: 'https://API.CLOUD-ELEMENTS.COM/elements/api-v2/events/freshdesk/MjA5MzE=' }),
        URL_US,
      ),
    ).toBe(true);
  });

  it('does not match another URL, method, action, automation type or shape', () => {
    expect(rulePostsTo(existing(), URL_EU)).toBe(false);
    expect(rulePostsTo(existing({}, { url: `${URL_US}/` }), URL_US)).toBe(false);
    expect(
      rulePostsTo(
        existing({}, { url: 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzEK' }),
        URL_US,
      ),
    ).toBe(false);
    expect(
      rulePostsTo(
        existing({}, { url: 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/mja5mze=' }),
        URL_US,
      ),
    ).toBe(false);
    expect(rulePostsTo(existing({}, { request_type: 'GET' }), URL_US)).toBe(false);
    expect(rulePostsTo(existing({}, { field_name: 'trigger_api' }), URL_US)).toBe(false);
    expect(rulePostsTo(existing({ automation_type_id: 1 }), URL_US)).toBe(false);
    expect(rulePostsTo(existing({ actions: 'trigger_webhook' }), URL_US)).toBe(false);
    expect(rulePostsTo(null, URL_US)).toBe(false);
    expect(rulePostsTo([existing()], URL_US)).toBe(false);
    expect(rulePostsTo(existing(), 'not a url')).toBe(false);
  });

  it('finds the first matching rule in a list', () => {
    const other = existing({ id: 1 }, { url: URL_EU });
    const match = existing({ id: 2 });
    expect(findWebhookRule([other, match, existing({ id: 3 })], URL_US)).toBe(match);
    expect(findWebhookRule([other], URL_US)).toBeUndefined();
  });

  it('warns when a reused rule is off, not JSON, or outdated', () => {
    expect(reuseWarnings(existing({ active: false, outdated: true }), URL_US)).toEqual([
      '"Made in the admin UI" is turned off: turn it on under Admin > Automations > Ticket updates, or no event is sent.',
      '"Made in the admin UI" posts with the XML encoding: set Encoding to JSON in its Trigger Webhook action.',
      'Freshdesk marks "Made in the admin UI" as outdated (it refers to a field that no longer exists), so it does not fire: edit and save it.',
    ]);
    expect(reuseWarnings(existing({}, { content_type: 'JSON' }), URL_US)).toEqual([]);
    expect(reuseWarnings(existing({ active: false }), URL_EU)).toEqual([]);
  });
});
