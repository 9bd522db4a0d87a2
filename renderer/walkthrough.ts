import adminAutomations from '../assets/walkthrough/admin-automations.svg';
import adminObserver from '../assets/walkthrough/admin-observer.svg';
import observerRules from '../assets/walkthrough/observer-rules.svg';
import ruleForm from '../assets/walkthrough/rule-form.svg';
import saveRule from '../assets/walkthrough/save-rule.svg';
import ticketUpdates from '../assets/walkthrough/ticket-updates.svg';
import webhookAction from '../assets/walkthrough/webhook-action.svg';
import { UNCONFIRMED_RULE_DETAILS } from '../main/core/webhook-rule.js';
import type { WalkthroughUi } from './state';

/**
 * The seed's Freshdesk steps as a checklist, grouped by the screen they happen
 * on, for the current admin UI and the legacy Observer UI. Each screen has one
 * of our own drawings (assets/walkthrough); the numbers on a drawing match
 * the numbers of that screen's items.
 *
 * Freshdesk's exact labels vary by account and plan (the "Workflows" section
 * name is not confirmed everywhere), so the text says where to look rather
 * than quoting every label.
 */

/** A value the user types into Freshdesk: each gets its own copy button. */
export type WalkthroughValue = 'ruleName' | 'eventsUrl' | 'requestType' | 'encoding' | 'content';

export interface WalkthroughItem {
  /** Stable id: the checkbox state is kept under `${ui}:${id}`. */
  id: string;
  text: string;
  detail?: string;
  value?: WalkthroughValue;
}

export interface WalkthroughScreen {
  id: string;
  title: string;
  drawing: string;
  /** What the drawing shows, for screen readers. */
  alt: string;
  items: readonly WalkthroughItem[];
}

export interface WalkthroughVariant {
  label: string;
  screens: readonly WalkthroughScreen[];
}

const ruleScreen: WalkthroughScreen = {
  id: 'rule',
  title: 'Name the rule and say when it runs',
  drawing: ruleForm,
  alt: 'The new rule form: rule name at the top, then who performs the action, the events, and the ticket conditions.',
  items: [
    { id: 'name', text: 'Name the rule', value: 'ruleName' },
    {
      id: 'event',
      text: 'Add an event',
      detail:
        'For example "Status is changed" or "Note is added": choose the ticket changes your app wants to hear about.',
    },
    {
      id: 'performer',
      text: 'Select who performs the event',
      detail: 'Agent, Requester, or "Agent or Requester" to catch every update.',
    },
    {
      id: 'conditions',
      text: 'Select the condition(s)',
      detail: 'Pick conditions that match every ticket you care about; a rule with no matching condition never fires.',
    },
  ],
};

const webhookScreen = (actionLabel: string): WalkthroughScreen => ({
  id: 'webhook',
  title: 'Add the Trigger Webhook action',
  drawing: webhookAction,
  alt: 'The Trigger Webhook action: request type POST, the events URL, encoding JSON, and the content to send.',
  items: [
    { id: 'action', text: `Under the actions, choose "${actionLabel}"` },
    { id: 'method', text: 'Set the request type to POST', value: 'requestType' },
    { id: 'url', text: 'Paste the events URL', value: 'eventsUrl' },
    {
      id: 'encoding',
      text: 'Set the encoding to JSON',
      detail: 'Not XML and not form encoding: Cloud Elements reads JSON.',
      value: 'encoding',
    },
    {
      id: 'content',
      text: 'Select the content',
      detail:
        'Simple: tick the ticket fields to send (at least the ticket ID). Advanced: paste this JSON body, whose {{placeholders}} Freshdesk fills in.',
      value: 'content',
    },
  ],
});

const saveScreen: WalkthroughScreen = {
  id: 'save',
  title: 'Save and turn the rule on',
  drawing: saveRule,
  alt: 'The bottom of the rule form with the Save button, and the rule list with the new rule switched on.',
  items: [
    { id: 'save', text: 'Click "Save"' },
    {
      id: 'active',
      text: 'Check that the rule is active in the list',
      detail: 'An inactive rule never calls the webhook.',
    },
  ],
};

export const WALKTHROUGH: Readonly<Record<WalkthroughUi, WalkthroughVariant>> = {
  current: {
    label: 'Current UI (Admin > Automations > Ticket updates)',
    screens: [
      {
        id: 'admin',
        title: 'Open Automations in the admin settings',
        drawing: adminAutomations,
        alt: 'Freshdesk with the Admin gear in the left sidebar and the Automations entry in the admin settings.',
        items: [
          { id: 'admin', text: 'Click "Admin" (the gear at the bottom of the left sidebar)' },
          {
            id: 'automations',
            text: 'Open "Automations"',
            detail: 'Under Workflows (on some accounts: Helpdesk Productivity).',
          },
        ],
      },
      {
        id: 'new-rule',
        title: 'Start a rule that runs on ticket updates',
        drawing: ticketUpdates,
        alt: 'The Automations page with the Ticket updates tab selected and the New rule button.',
        items: [
          { id: 'tab', text: 'Open the "Ticket updates" tab' },
          { id: 'new', text: 'Click "New rule"' },
        ],
      },
      ruleScreen,
      webhookScreen('Trigger webhook'),
      saveScreen,
    ],
  },
  legacy: {
    label: 'Legacy UI (Admin > Observer)',
    screens: [
      {
        id: 'admin',
        title: 'Open the Observer',
        drawing: adminObserver,
        alt: 'The legacy Freshdesk admin page with the Observer icon under Helpdesk Productivity.',
        items: [
          { id: 'admin', text: 'Click "Admin"' },
          { id: 'observer', text: 'Under Helpdesk Productivity, select "Observer"' },
        ],
      },
      {
        id: 'new-rule',
        title: 'Start a new rule',
        drawing: observerRules,
        alt: 'The Observer rules list with the New Rule button.',
        items: [{ id: 'new', text: 'Select "New Rule"' }],
      },
      ruleScreen,
      webhookScreen('Trigger Webhook'),
      saveScreen,
    ],
  },
};

export const WALKTHROUGH_UIS: readonly WalkthroughUi[] = ['current', 'legacy'];

export function itemKey(ui: WalkthroughUi, screen: WalkthroughScreen, item: WalkthroughItem): string {
  return `${ui}:${screen.id}:${item.id}`;
}

export function ruleNameFor(instanceId: string): string {
  return `Cloud Elements events (instance ${instanceId})`;
}

/** The text and copy-button name of each value. */
export function walkthroughValues(
  instanceId: string,
  eventsUrl: string,
): Readonly<Record<WalkthroughValue, { what: string; text: string }>> {
  // The same content the automatic rule sends (main/core/webhook-rule.ts), so both paths post the same body.
  return {
    ruleName: { what: 'rule name', text: ruleNameFor(instanceId) },
    eventsUrl: { what: 'events URL', text: eventsUrl },
    requestType: { what: 'request type', text: 'POST' },
    encoding: { what: 'encoding', text: 'JSON' },
    content: { what: 'content', text: JSON.stringify(UNCONFIRMED_RULE_DETAILS.content, null, 2) },
  };
}

/** What to check when no event arrives: the webhook step's panel and Verify's time-out both show it. */
export const TROUBLESHOOTING: readonly string[] = [
  'The rule is active (switched on in the rule list).',
  'The rule has an event (for example "Status is changed") and a condition that the ticket change really matches.',
  'The action is Trigger Webhook, POST, to exactly the events URL, with the encoding JSON.',
  'Your Freshdesk plan includes "Trigger Webhook" (Growth, Pro and Enterprise plans).',
  'Rate limits: webhook calls count against your Freshdesk API limit; over it they are delayed, and dropped after 24 hours.',
  'Freshdesk retries a failed webhook after 5, 30 and 60 minutes, then e-mails the admins: a failure may show up late.',
];
