import type { Page } from '@playwright/test';
import { DEFAULT_ACCOUNT } from './emulators/cloud-elements.js';
import { ADMIN_AGENT, PLAIN_AGENT } from './emulators/freshdesk.js';
import { expect, snap, test } from './harness.js';

/**
 * Issue 5 in the wizard: the Freshdesk rule made through Freshdesk's API (the
 * Freshdesk emulator) or by hand with the walkthrough, Verify (a test event
 * reaches the Cloud Elements emulator's events URL and the watch sees it),
 * and Done's exports.
 */

const CALLBACK_URL = 'https://app.example.com/hooks/freshdesk';
const SECRETS = [DEFAULT_ACCOUNT.userSecret, DEFAULT_ACCOUNT.orgSecret, ADMIN_AGENT.apiKey, PLAIN_AGENT.apiKey];
const RULE_NAME = 'Cloud Elements events (instance 20931)';

async function expectNoSecretOnPage(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/** Connect, Freshdesk account (the admin's API key unless told otherwise), create instance 20931: ends on Events URL. */
async function createInstance(page: Page, apiBase: string, apiKey: string = ADMIN_AGENT.apiKey): Promise<string> {
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByLabel('Environment').selectOption('custom');
  await page.getByLabel('Custom host or URL').fill(apiBase);
  await page.getByLabel('User secret').fill(DEFAULT_ACCOUNT.userSecret);
  await page.getByLabel('Organization secret').fill(DEFAULT_ACCOUNT.orgSecret);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Freshdesk subdomain').fill('acme');
  await page.getByLabel('Freshdesk API key').fill(apiKey);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Callback URL').fill(CALLBACK_URL);
  await page.getByRole('button', { name: 'Create instance' }).click();
  await expect(page.getByTestId('create-result')).toContainText('Instance 20931 created');
  await page.getByRole('button', { name: 'Next' }).click();
  const eventsUrl = `${apiBase}/events/freshdesk/MjA5MzE=`;
  await expect(page.getByTestId('value-events-url')).toHaveText(eventsUrl);
  return eventsUrl;
}

test('automatic rule: shown before sending, created once however often it is pressed, reused on a second visit; exports hold no secret', async ({
  wizard: page,
  emulator,
  freshdesk,
  saved,
}) => {
  const eventsUrl = await createInstance(page, emulator.baseUrl);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-walkthrough')).toBeVisible();
  // A key was typed on the Freshdesk step: the automatic path opens, with the exact rule it will send.
  await expect(page.getByLabel('Create the rule for me')).toBeChecked();
  await expect(page.getByTestId('rule-key')).toContainText('Uses the API key you typed on the Freshdesk account step');
  const preview = page.getByTestId('rule-preview');
  await expect(preview).toContainText(`"url": "${eventsUrl}"`);
  await expect(preview).toContainText('"field_name": "trigger_webhook"');
  await expect(preview).toContainText('"request_type": "POST"');
  await expect(preview).toContainText('"content_type": "JSON"');
  await expect(preview).toContainText(`"name": "${RULE_NAME}"`);
  expect(freshdesk.requests()).toHaveLength(0);
  await expectNoSecretOnPage(page);
  await snap(page, '27-rule-auto-preview');

  await page.getByRole('button', { name: 'Check the key' }).click();
  await expect(page.getByTestId('rule-key-check')).toHaveText(
    `Signed in as ${ADMIN_AGENT.name} (${ADMIN_AGENT.email}).`,
  );

  await page.getByRole('button', { name: 'Create the rule' }).dblclick();
  await expect(page.getByTestId('rule-result')).toContainText(`Rule “${RULE_NAME}” (ID 109866) created`);
  expect(freshdesk.rules()).toHaveLength(1);
  const posts = () => freshdesk.requests().filter((request) => request.method === 'POST');
  expect(posts()).toHaveLength(1);
  const [rule] = freshdesk.rules();
  expect(rule?.['actions']).toEqual([
    expect.objectContaining({
      field_name: 'trigger_webhook',
      request_type: 'POST',
      url: eventsUrl,
      content_type: 'JSON',
    }),
  ]);
  await snap(page, '28-rule-created');

  // Revisit the step and press again: the rule is found and reused, never doubled.
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('rule-result')).toContainText('created');
  await page.getByRole('button', { name: 'Create the rule' }).click();
  await expect(page.getByTestId('rule-result')).toContainText('An existing rule already posts to this URL: reused');
  await expect(page.getByTestId('rule-result')).toContainText(`Rule “${RULE_NAME}” (ID 109866)`);
  expect(freshdesk.rules()).toHaveLength(1);
  expect(posts()).toHaveLength(1);
  await snap(page, '29-rule-reused');

  // Done without Verify: the heading does not claim success, and the summary names the rule.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-verify')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('done-heading')).toHaveText('Setup saved — not verified yet');
  await expect(page.getByRole('button', { name: 'Go back to Verify' })).toBeVisible();
  await expect(page.getByTestId('summary-rule')).toHaveText(`${RULE_NAME} (ID 109866, reused)`);
  await expect(page.getByTestId('summary-events-url')).toHaveText(eventsUrl);
  await expect(page.getByTestId('summary-callback-url')).toHaveText(CALLBACK_URL);

  await page.getByRole('button', { name: 'Copy summary' }).click();
  await expect(page.getByTestId('copy-status-summary')).toContainText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('# Freshdesk events setup');
  expect(copied).toContain(eventsUrl);

  await page.getByRole('button', { name: 'Export Markdown' }).click();
  await expect(page.getByTestId('export-result')).toContainText('Saved the Markdown summary to');
  await expect(page.getByTestId('export-result')).toContainText('freshdesk-events-20931.md');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  await expect(page.getByTestId('export-result')).toContainText('freshdesk-events-20931.json');
  expect(saved.map((file) => file.path.split('/').pop())).toEqual([
    'freshdesk-events-20931.md',
    'freshdesk-events-20931.json',
  ]);
  // Copy and export say the same thing.
  expect(saved[0]?.content).toBe(copied);
  const json = JSON.parse(saved[1]?.content ?? '{}') as Record<string, unknown>;
  expect(json).toMatchObject({
    instanceId: '20931',
    encodedId: 'MjA5MzE=',
    eventsUrl,
    callbackUrl: CALLBACK_URL,
    rule: { id: 109866, name: RULE_NAME, created: false },
  });
  for (const file of saved) {
    expect(file.content).toContain(eventsUrl);
    for (const secret of SECRETS) expect(file.content).not.toContain(secret);
  }
  await expectNoSecretOnPage(page);
  await snap(page, '30-done-not-verified-exported');
});

test('automatic rule errors are worded by main: wrong subdomain (404), a key that is not an admin’s (403), a password', async ({
  wizard: page,
  emulator,
  freshdesk,
}) => {
  await createInstance(page, emulator.baseUrl, PLAIN_AGENT.apiKey);
  await page.getByRole('button', { name: 'Next' }).click();

  freshdesk.setFault('not-found');
  await page.getByRole('button', { name: 'Create the rule' }).click();
  const error = page.getByTestId('rule-error');
  await expect(error).toContainText('The rule was not created');
  await expect(error).toContainText('There is no Freshdesk account at');
  await expect(error).toContainText('check the subdomain');
  await expect(error.getByRole('button', { name: 'Edit Freshdesk account' })).toBeVisible();
  await snap(page, '31-rule-error-wrong-subdomain');

  freshdesk.setFault('rate-limited', { retryAfterSeconds: 120 });
  await page.getByRole('button', { name: 'Create the rule' }).click();
  await expect(error).toContainText('429');
  await expect(error).toContainText(/wait/i);

  freshdesk.setFault(undefined);
  await page.getByRole('button', { name: 'Create the rule' }).click();
  await expect(error).toContainText('403');
  await expect(error).toContainText('administrator');
  await expect(error.getByRole('button', { name: 'Follow the walkthrough instead' })).toBeVisible();
  expect(freshdesk.rules()).toHaveLength(0);
  await snap(page, '32-rule-error-not-admin');

  // Another key, typed here: a wrong one is rejected (401), the admin's works.
  await error.getByRole('button', { name: 'Use another API key' }).click();
  await page.getByLabel("Administrator's Freshdesk API key").fill('NotTheRightKey123456');
  await page.getByRole('button', { name: 'Check the key' }).click();
  await expect(page.getByTestId('rule-key-error')).toContainText('rejected the API key');
  await page.getByLabel("Administrator's Freshdesk API key").fill(ADMIN_AGENT.apiKey);
  await page.getByRole('button', { name: 'Check the key' }).click();
  await expect(page.getByTestId('rule-key-check')).toContainText(`Signed in as ${ADMIN_AGENT.name}`);
  await page.getByRole('button', { name: 'Create the rule' }).click();
  await expect(page.getByTestId('rule-result')).toContainText('created');
  expect(freshdesk.rules()).toHaveLength(1);
  await expectNoSecretOnPage(page);

  // Username and password cannot be used for Freshdesk's API: the step says so and offers the walkthrough.
  await page.getByRole('button', { name: 'Freshdesk account', exact: true }).click();
  await page.getByLabel('Username and password').check();
  await page.getByLabel('Freshdesk username').fill('agent@acme.example');
  await page.getByLabel('Freshdesk password').fill('pa55word');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Use the key from the Freshdesk account step instead' }).click();
  await expect(page.getByTestId('rule-key-missing')).toContainText('takes an API key, not a username and password');
  await expect(page.getByRole('button', { name: 'Create the rule' })).toBeDisabled();
  await page.getByRole('button', { name: 'Follow the walkthrough instead' }).click();
  await expect(page.getByTestId('manual-walkthrough')).toBeVisible();
});

test('manual walkthrough, both UI versions: each value has its own copy button, Freshdesk admin opens, the never-fires panel', async ({
  wizard: page,
  emulator,
  opened,
}) => {
  // A known instance ID, offline: no API key anywhere, so the walkthrough opens first.
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByLabel('Environment').selectOption('custom');
  await page.getByLabel('Custom host or URL').fill('api.cloud-elements.com');
  await page.getByLabel('User secret').fill(DEFAULT_ACCOUNT.userSecret);
  await page.getByLabel('Organization secret').fill(DEFAULT_ACCOUNT.orgSecret);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Freshdesk subdomain').fill('acme');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('I already have an instance ID').check();
  await page.getByLabel('Instance ID or pasted response').fill('20931');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Walk me through it')).toBeChecked();
  const eventsUrl = 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=';

  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  const values: [string, string | RegExp][] = [
    ['Copy rule name', RULE_NAME],
    ['Copy request type', 'POST'],
    ['Copy events URL', eventsUrl],
    ['Copy encoding', 'JSON'],
    ['Copy content', /"ticket_id": "\{\{ticket\.id\}\}"/],
  ];
  for (const ui of ['Current UI (Admin > Automations > Ticket updates)', 'Legacy UI (Admin > Observer)']) {
    await page.getByLabel(ui).check();
    for (const [button, expected] of values) {
      await page.getByRole('button', { name: button }).click();
      if (typeof expected === 'string') expect(await clipboard()).toBe(expected);
      else expect(await clipboard()).toMatch(expected);
    }
    const panel = page.getByTestId('never-fires');
    await expect(panel).toContainText('The rule is active');
    await expect(panel).toContainText('an event');
    await expect(panel).toContainText('a condition');
    await expect(panel).toContainText('Growth, Pro and Enterprise');
    await expect(panel).toContainText('count against your Freshdesk API limit');
    await expect(panel).toContainText('after 5, 30 and 60 minutes, then e-mails the admins');
    await snap(page, ui.startsWith('Current') ? '33-walkthrough-manual-current' : '34-walkthrough-manual-legacy');
  }
  await page.getByRole('button', { name: 'Open Freshdesk admin' }).click();
  await expect.poll(() => opened).toEqual(['https://acme.freshdesk.com/a/admin']);
  expect(emulator.requests()).toHaveLength(0);
});

test('verify: the test event is accepted, the watch sees it arrive, and Done says events are flowing', async ({
  wizard: page,
  emulator,
}) => {
  const eventsUrl = await createInstance(page, emulator.baseUrl);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-verify')).toBeVisible();

  await page.getByRole('button', { name: 'Watch for events' }).click();
  const progress = page.getByTestId('watch-progress');
  await expect(progress).toContainText('of 5 min');
  await expect(progress).toContainText(/[1-9]\d* checks?/);
  await expect(progress).toContainText('no new event yet');
  await snap(page, '35-verify-watching');

  await page.getByRole('button', { name: 'Send a test event' }).click();
  await expect(page.getByTestId('test-event-result')).toHaveText('Cloud Elements accepted the test event (200).');
  await expect(page.getByTestId('watch-result')).toContainText('Events are flowing', { timeout: 15_000 });
  await expect(page.getByTestId('watch-result')).toContainText('A new event arrived');
  const received = emulator.receivedEvents();
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ instanceId: '20931', elementKey: 'freshdesk' });
  expect(received[0]?.contentType).toMatch(/application\/json/);
  expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ freshdesk_webhook: { ticket_id: '42' } });
  expect(eventsUrl).toContain('/events/freshdesk/MjA5MzE=');
  await snap(page, '36-verify-event-arrived');

  // Cancel stops a watch; leaving the step stops it too.
  await page.getByRole('button', { name: 'Watch again' }).click();
  await expect(page.getByTestId('watch-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('watch-result')).toContainText('Stopped watching');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('done-heading')).toHaveText('Events are flowing');
  await expectNoSecretOnPage(page);
  await snap(page, '37-done-events-flowing');
});
