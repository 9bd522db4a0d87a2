import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEFAULT_ACCOUNT } from './emulators/cloud-elements.js';
import { expect, snap, test } from './harness.js';

const FRESHDESK_API_KEY = 'fd-Key-9x8Y7z';
const CALLBACK_URL = 'https://app.example.com/hooks/freshdesk';
const SECRETS = [DEFAULT_ACCOUNT.userSecret, DEFAULT_ACCOUNT.orgSecret, FRESHDESK_API_KEY];

async function connect(page: Page, apiBase: string, userSecret = DEFAULT_ACCOUNT.userSecret): Promise<void> {
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('step-connect')).toBeVisible();
  await page.getByLabel('Environment').selectOption('custom');
  await page.getByLabel('Custom host or URL').fill(apiBase);
  await page.getByLabel('User secret').fill(userSecret);
  await page.getByLabel('Organization secret').fill(DEFAULT_ACCOUNT.orgSecret);
}

async function freshdeskAccount(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-freshdesk')).toBeVisible();
  await page.getByLabel('Freshdesk subdomain').fill(' https://ACME.freshdesk.com/a/tickets/42 ');
  await expect(page.getByTestId('subdomain-preview')).toContainText('https://acme.freshdesk.com');
  await page.getByLabel('Freshdesk API key').fill(FRESHDESK_API_KEY);
}

async function expectNoSecretOnPage(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

test('the whole happy path ends with the events URL on the clipboard', async ({ wizard: page, emulator, opened }) => {
  await snap(page, '01-welcome');
  await connect(page, emulator.baseUrl);
  await expect(page.getByTestId('resolved-api-base')).toContainText(emulator.baseUrl);
  // "Remember in the OS keychain" is on by default: the secrets are saved once the test proves them.
  await expect(page.getByLabel('Remember in the OS keychain')).toBeChecked();
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-result')).toContainText('Secrets accepted');
  await expect(page.getByTestId('connection-keychain')).toHaveText('Saved in the OS keychain');
  await expect(page.getByTestId('saved-cloud-elements')).toContainText(
    `Secrets for ${new URL(emulator.baseUrl).host} are saved in the OS keychain.`,
  );
  await snap(page, '02-connect');

  await freshdeskAccount(page);
  await snap(page, '03-freshdesk');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-instance')).toBeVisible();
  await page.getByLabel('Instance name').fill('Freshdesk events (acme)');
  await page.getByLabel('Tags').fill('prod, freshdesk');
  await page.getByLabel('Callback URL').fill(CALLBACK_URL);
  await page.getByText('What will be sent').click();
  await expect(page.getByTestId('request-body')).toContainText('"api.key": "********"');
  await expect(page.getByTestId('curl-preview')).toContainText(`'${emulator.baseUrl}/instances'`);
  await expectNoSecretOnPage(page);
  await snap(page, '04-instance-preview');
  await page.getByRole('button', { name: 'Create instance' }).click();
  await expect(page.getByTestId('create-result')).toContainText('Instance 20931 created');
  await expect(page.getByTestId('create-freshdesk-keychain')).toHaveText('Freshdesk API key: saved in the OS keychain');
  await snap(page, '05-instance-created');

  const [created] = emulator.instances();
  expect(emulator.instances()).toHaveLength(1);
  expect(created).toMatchObject({
    name: 'Freshdesk events (acme)',
    elementKey: 'freshdesk',
    tags: ['prod', 'freshdesk'],
    configuration: {
      subdomain: 'acme',
      'api.key': FRESHDESK_API_KEY,
      'event.notification.enabled': 'true',
      'event.notification.callback.url': CALLBACK_URL,
    },
  });

  await page.getByRole('button', { name: 'Next' }).click();
  const eventsUrl = `${emulator.baseUrl}/events/freshdesk/MjA5MzE=`;
  await expect(page.getByTestId('value-instance-id')).toHaveText('20931');
  await expect(page.getByTestId('value-encoded-id')).toHaveText('MjA5MzE=');
  await expect(page.getByTestId('value-events-url')).toHaveText(eventsUrl);
  await page.getByRole('button', { name: 'Copy events URL' }).click();
  await expect(page.getByTestId('copy-status-events-url')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(eventsUrl);
  await snap(page, '06-events-url');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-walkthrough')).toBeVisible();
  // An API key was typed on the Freshdesk step: the automatic path opens first; switch to the walkthrough.
  await expect(page.getByTestId('auto-rule')).toBeVisible();
  await page.getByLabel('Walk me through it').check();
  await snap(page, '07-walkthrough-current');
  await page.getByRole('button', { name: 'Copy events URL' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(eventsUrl);
  await page.getByRole('button', { name: 'Copy request type' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('POST');
  await page.getByRole('button', { name: 'Copy encoding' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('JSON');
  await page.getByRole('button', { name: 'Open Freshdesk admin' }).click();
  await expect.poll(() => opened).toEqual(['https://acme.freshdesk.com/a/admin']);
  await page.getByLabel('Legacy UI (Admin > Observer)').check();
  await expect(page.getByText('Observer').first()).toBeVisible();
  await snap(page, '08-walkthrough-legacy');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-verify')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-done')).toBeVisible();
  // Nothing was verified: the heading says so rather than claiming success.
  await expect(page.getByTestId('done-heading')).toHaveText('Setup saved — not verified yet');
  await expect(page.getByTestId('summary-events-url')).toHaveText(eventsUrl);
  await expect(page.getByTestId('summary-callback-url')).toHaveText(CALLBACK_URL);
  await page.getByRole('button', { name: 'Copy summary' }).click();
  const summary = await page.evaluate(() => navigator.clipboard.readText());
  expect(summary).toContain(eventsUrl);
  for (const secret of SECRETS) expect(summary).not.toContain(secret);
  await expectNoSecretOnPage(page);
  await snap(page, '09-done');
  expect(emulator.postCount()).toBe(1);
});

test('rejected secrets: the message is shown and every input is kept', async ({ wizard: page, emulator, profile }) => {
  await connect(page, emulator.baseUrl, 'wrong/secret+=');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-error')).toContainText(/rejected/i);
  // Rejected secrets are never saved.
  await expect(page.getByTestId('saved-cloud-elements')).toHaveCount(0);
  await expect(page.getByLabel('User secret')).toHaveValue('wrong/secret+=');
  await expect(page.getByLabel('Organization secret')).toHaveValue(DEFAULT_ACCOUNT.orgSecret);
  await expect(page.getByLabel('Custom host or URL')).toHaveValue(emulator.baseUrl);
  expect(await page.getByTestId('connection-error').innerText()).not.toContain('wrong/secret+=');
  await snap(page, '10-rejected-secrets');

  // Going on anyway: the create call is refused too, and nothing typed on later steps is lost.
  await freshdeskAccount(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Callback URL').fill(CALLBACK_URL);
  await page.getByRole('button', { name: 'Create instance' }).click();
  await expect(page.getByTestId('create-error')).toContainText(/rejected/i);
  await expect(page.getByLabel('Callback URL')).toHaveValue(CALLBACK_URL);
  await snap(page, '11-create-rejected');
  expect(emulator.instances()).toHaveLength(0);
  expect(await profile.vault.readCloudElements(new URL(emulator.baseUrl).host)).toBeUndefined();
  expect(await profile.vault.readFreshdesk('acme')).toBeUndefined();
});

test('a missing entry is named under its field and nothing is sent', async ({ wizard: page, emulator }) => {
  await connect(page, emulator.baseUrl);
  await freshdeskAccount(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Callback URL').fill('http://app.example.com/hooks');
  await page.getByRole('button', { name: 'Create instance' }).click();
  await expect(page.getByLabel('Callback URL')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('step-instance')).toContainText('must start with https://');
  await page.getByLabel('Callback URL').fill('');
  await page.getByRole('button', { name: 'Create instance' }).click();
  await expect(page.getByTestId('step-instance')).toContainText("Enter your app's callback URL");
  await snap(page, '12-missing-entry');
  expect(emulator.postCount()).toBe(0);
  expect(emulator.requests().filter((request) => request.method === 'POST')).toHaveLength(0);
});

test('a double click on Create makes one instance', async ({ wizard: page, emulator }) => {
  await connect(page, emulator.baseUrl);
  await freshdeskAccount(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Callback URL').fill(CALLBACK_URL);
  await page.getByRole('button', { name: 'Create instance' }).dblclick();
  await expect(page.getByTestId('create-result')).toContainText('created');
  expect(emulator.postCount()).toBe(1);
  expect(emulator.instances()).toHaveLength(1);
});

test('pasting the seed response gives instance 1234 and its URL, without the network', async ({
  wizard: page,
  emulator,
}) => {
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByLabel('Environment').selectOption('eu');
  await page.getByLabel('User secret').fill(DEFAULT_ACCOUNT.userSecret);
  await page.getByLabel('Organization secret').fill(DEFAULT_ACCOUNT.orgSecret);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Freshdesk subdomain').fill('acme');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('I already have an instance ID').check();
  const pasted = readFileSync('main/core/cases/pasted-response.txt', 'utf8');
  await page.getByLabel('Instance ID or pasted response').fill('MTIzNA==');
  await expect(page.getByTestId('step-instance')).toContainText('already encoded');
  await page.getByLabel('Instance ID or pasted response').fill(pasted);
  await expect(page.getByTestId('instance-id-found')).toContainText('1234');
  await snap(page, '13-pasted-response');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('value-events-url')).toHaveText(
    'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MTIzNA==',
  );
  await page.getByRole('button', { name: 'Copy events URL' }).click();
  await expect(page.getByTestId('copy-status-events-url')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MTIzNA==',
  );
  expect(emulator.requests()).toHaveLength(0);
});
