import type { Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_ACCOUNT, type FaultMode, type FaultOptions } from './emulators/cloud-elements.js';
import { expect, snap, test } from './harness.js';

/**
 * Issue 4 in the wizard: existing instances, freshdeskv2 (polling) tenants,
 * cancellable calls, and every Cloud Elements fault met calmly.
 */

const FRESHDESK_API_KEY = 'fd-Key-9x8Y7z';
const CALLBACK_URL = 'https://app.example.com/hooks/freshdesk';
const SECRETS = [DEFAULT_ACCOUNT.userSecret, DEFAULT_ACCOUNT.orgSecret, FRESHDESK_API_KEY];

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

async function connect(page: Page, apiBase: string, options: { remember?: boolean } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('step-connect')).toBeVisible();
  await page.getByLabel('Environment').selectOption('custom');
  await page.getByLabel('Custom host or URL').fill(apiBase);
  await page.getByLabel('User secret').fill(DEFAULT_ACCOUNT.userSecret);
  await page.getByLabel('Organization secret').fill(DEFAULT_ACCOUNT.orgSecret);
  if (options.remember === false) await page.getByLabel('Remember in the OS keychain').uncheck();
}

async function freshdeskAccount(page: Page, options: { remember?: boolean } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-freshdesk')).toBeVisible();
  await page.getByLabel('Freshdesk subdomain').fill('acme');
  await page.getByLabel('Freshdesk API key').fill(FRESHDESK_API_KEY);
  if (options.remember === false) await page.getByLabel('Remember in the OS keychain').uncheck();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-instance')).toBeVisible();
}

async function expectNoSecretOnPage(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

test('the existing-instance picker lists the Freshdesk instances, can be cancelled, and picking one makes it current', async ({
  wizard: page,
  emulator,
}) => {
  const webhook = emulator.addInstance({ name: 'Freshdesk events (acme)', elementKey: 'freshdesk' });
  const polling = emulator.addInstance({
    name: 'Freshdesk polling (acme)',
    elementKey: 'freshdeskv2',
    configuration: { subdomain: 'acme', username: 'seeded-key' },
  });
  emulator.addInstance({ name: 'Salesforce', elementKey: 'sfdc', configuration: {} });
  await connect(page, emulator.baseUrl);
  await freshdeskAccount(page);

  // The list loads by itself when the picker opens.
  await page.getByLabel('Pick an existing instance').check();
  const list = page.getByTestId('instance-list');
  await expect(list).toBeVisible();
  await expect(list.getByRole('radio')).toHaveCount(2);
  const first = page.getByTestId(`instance-option-${webhook.id}`);
  await expect(first).toContainText('Freshdesk events (acme)');
  await expect(first).toContainText(`ID ${webhook.id}`);
  await expect(first).toContainText('freshdesk (webhook)');
  await expect(first).toContainText('created ');
  await expect(first).toContainText(`${emulator.baseUrl}/events/freshdesk/${b64(webhook.id)}`);
  const second = page.getByTestId(`instance-option-${polling.id}`);
  await expect(second).toContainText('freshdeskv2 (polling)');
  await expect(second).toContainText('Events by polling: no events URL');
  await expect(page.getByTestId('step-instance')).not.toContainText('Salesforce');
  await snap(page, '20-instance-picker');

  // A slow answer can be cancelled; Refresh brings the list back.
  emulator.setFault('slow-trickle', { delayMs: 1_000 });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('button', { name: 'Loading instances…' })).toBeDisabled();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('list-error')).toContainText('Listing was cancelled');
  await expect(page.getByTestId('list-error')).toContainText('Cancelled');
  emulator.setFault('none');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(list.getByRole('radio')).toHaveCount(2);

  await page.getByRole('radio', { name: /Freshdesk events \(acme\)/ }).check();
  await expect(page.getByTestId('picked-instance')).toContainText(`Using instance ${webhook.id}`);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('value-events-url')).toHaveText(
    `${emulator.baseUrl}/events/freshdesk/${b64(webhook.id)}`,
  );
  expect(emulator.postCount()).toBe(0);
  await expectNoSecretOnPage(page);
});

test.describe('a freshdeskv2-only tenant', () => {
  test.use({ emulatorOptions: { accounts: [{ ...DEFAULT_ACCOUNT, elements: ['freshdeskv2'] }] } });

  test('polling is explained and preselected; the instance polls as chosen; no events URL; the webhook step is skipped', async ({
    wizard: page,
    emulator,
  }) => {
    await connect(page, emulator.baseUrl);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByTestId('connection-result')).toContainText('this account uses polling');
    await expect(page.getByTestId('element-availability')).toContainText('only freshdeskv2 is');
    await expect(page.getByTestId('polling-explained')).toContainText('Cloud Elements checks Freshdesk every');
    await expect(page.getByTestId('polling-explained')).toContainText('No Freshdesk rule is needed');
    await snap(page, '21-connect-polling-only');

    // Username and password first: freshdeskv2 takes an API key only, and the Instance step says so.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Freshdesk subdomain').fill('acme');
    await page.getByLabel('Username and password').check();
    await page.getByLabel('Freshdesk username').fill('agent@acme.example');
    await page.getByLabel('Freshdesk password').fill('pa55word');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByLabel('Polling (freshdeskv2)')).toBeChecked();
    await expect(page.getByLabel('Webhook (freshdesk) — recommended')).toBeDisabled();
    await expect(page.getByTestId('polling-needs-api-key')).toContainText('API key only');
    await page.getByLabel('Callback URL').fill(CALLBACK_URL);
    await page.getByLabel('Refresh interval (minutes)').fill('0');
    await page.getByRole('button', { name: 'Create instance' }).click();
    await expect(page.getByLabel('Refresh interval (minutes)')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('step-instance')).toContainText('from 1 to 1440');
    await expect(page.getByTestId('earlier-step-problems')).toContainText('API key only');
    expect(emulator.postCount()).toBe(0);

    await page.getByRole('button', { name: 'Edit Freshdesk account' }).first().click();
    await page.getByLabel('API key (recommended)').check();
    await page.getByLabel('Freshdesk API key').fill(FRESHDESK_API_KEY);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Refresh interval (minutes)').fill('30');
    await page.getByLabel('Contacts').check();
    await expect(page.getByTestId('polling-needs-api-key')).toHaveCount(0);
    await page.getByText('What will be sent').click();
    await expect(page.getByTestId('request-body')).toContainText('"event.poller.refresh_interval": "30"');
    await expect(page.getByTestId('request-body')).toContainText('"username": "********"');
    await expectNoSecretOnPage(page);
    await snap(page, '22-instance-polling');
    await page.getByRole('button', { name: 'Create instance' }).click();
    await expect(page.getByTestId('create-result')).toContainText('Instance 20931 created');

    const [created] = emulator.instances();
    expect(emulator.instances()).toHaveLength(1);
    expect(created?.elementKey).toBe('freshdeskv2');
    expect(created?.configuration).toMatchObject({
      subdomain: 'acme',
      username: FRESHDESK_API_KEY,
      'event.vendor.type': 'polling',
      'event.poller.refresh_interval': '30',
      'event.notification.callback.url': CALLBACK_URL,
    });
    const poller = JSON.parse(created?.configuration['event.poller.configuration'] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(poller).sort()).toEqual(['contacts', 'incidents']);

    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('events-by-polling')).toContainText('every 30 minutes');
    await expect(page.getByTestId('webhook-step-skipped')).toContainText('the Freshdesk webhook step is skipped');
    await expect(page.getByTestId('value-events-url')).toHaveCount(0);
    await expect(page.getByTestId('step-skipped-walkthrough')).toContainText('no rule is needed');
    await snap(page, '23-events-url-polling');

    // Next goes past the skipped webhook step, and Back comes back past it.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('step-verify')).toBeVisible();
    await expect(page.getByTestId('verify-polling')).toContainText('every 30 minutes');
    await expect(page.getByRole('button', { name: 'Send a test event' })).toHaveCount(0);
    await snap(page, '24-verify-polling');
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(page.getByTestId('step-events-url')).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('done-heading')).toHaveText('Setup saved — not verified yet');
    await expect(page.getByTestId('summary-events')).toContainText('by polling');
    await expect(page.getByTestId('summary-element')).toHaveText('freshdeskv2');
    expect(emulator.postCount()).toBe(1);
  });
});

test('too-long entries are refused per field before anything is sent, and long messages wrap', async ({
  wizard: page,
  emulator,
}) => {
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByLabel('Environment').selectOption('custom');
  await page.getByLabel('Custom host or URL').fill(`${'a'.repeat(3000)}.example.com`);
  await page.getByLabel('User secret').fill('x'.repeat(5000));
  await page.getByLabel('Organization secret').fill(DEFAULT_ACCOUNT.orgSecret);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('step-connect')).toContainText('The host is 3,012 characters long; at most 2,048 fit.');
  await expect(page.getByTestId('step-connect')).toContainText(
    'The user secret is 5,000 characters long; at most 4,096 fit.',
  );
  // Nothing runs off the window: no horizontal scrolling in the step.
  const overflow = await page.evaluate(() => {
    const scroller = document.querySelector('.main__scroll');
    return scroller ? scroller.scrollWidth - scroller.clientWidth : 0;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  await snap(page, '25-long-input');

  // A host that is long but not too long gets core's own message (which quotes it), wrapped too.
  await page.getByLabel('Custom host or URL').fill(`${'b'.repeat(1500)} example com`);
  await expect(page.locator('#custom-host-error')).toContainText('is not a host name');
  // The quoted paste is shown by its two ends, so the message stays readable.
  expect((await page.locator('#custom-host-error').innerText()).length).toBeLessThan(300);
  await snap(page, '25b-long-host-message');
  const box = await page.locator('#custom-host-error').boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(960);

  await page.getByLabel('Custom host or URL').fill(emulator.baseUrl);
  await page.getByLabel('User secret').fill(DEFAULT_ACCOUNT.userSecret);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Freshdesk subdomain').fill('acme');
  await page.getByLabel('Freshdesk API key').fill('k'.repeat(4097));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-freshdesk')).toContainText(
    'The Freshdesk API key is 4,097 characters long; at most 4,096 fit.',
  );
  await page.getByLabel('Freshdesk API key').fill(FRESHDESK_API_KEY);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Tags').fill(Array.from({ length: 51 }, (_, i) => `t${i}`).join(','));
  await page.getByLabel('Callback URL').fill(`https://app.example.com/${'c'.repeat(2100)}`);
  await page.getByRole('button', { name: 'Create instance' }).click();
  await expect(page.getByTestId('step-instance')).toContainText('That is 51 tags; at most 50 fit.');
  await expect(page.getByTestId('step-instance')).toContainText('The callback URL is 2,124 characters long');
  expect(emulator.requests()).toHaveLength(0);
});

test('offline: a host that does not answer gets a "could not reach … check your connection" message, inputs kept', async ({
  wizard: page,
}) => {
  // A port nothing listens on: the connection is refused, as when offline or behind a wrong host.
  const port = await new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as AddressInfo;
      server.close(() => resolve(free));
    });
  });
  const host = `http://127.0.0.1:${port}/elements/api-v2`;
  await connect(page, host);
  await page.getByRole('button', { name: 'Test connection' }).click();
  const error = page.getByTestId('connection-error');
  await expect(error).toContainText(`Could not reach Cloud Elements at 127.0.0.1:${port}`, { timeout: 20_000 });
  await expect(error).toContainText('internet connection');
  await expect(error).toContainText('Everything you typed is kept.');
  await expect(page.getByLabel('Custom host or URL')).toHaveValue(host);
  await expect(page.getByLabel('User secret')).toHaveValue(DEFAULT_ACCOUNT.userSecret);
  await expect(page.getByLabel('Organization secret')).toHaveValue(DEFAULT_ACCOUNT.orgSecret);
  await expectNoSecretOnPage(page);
  await snap(page, '26b-connect-offline');
});

/** Every Cloud Elements fault, met by Create in the wizard. */
const FAULTS: { label: string; mode: FaultMode; options?: FaultOptions; cancel?: boolean }[] = [
  { label: 'server-error', mode: 'server-error' },
  { label: 'server-error on the POST', mode: 'server-error', options: { requests: 'create' } },
  { label: 'bad-gateway', mode: 'bad-gateway' },
  { label: 'bad-gateway on the POST', mode: 'bad-gateway', options: { requests: 'create' } },
  { label: 'garbled', mode: 'garbled' },
  { label: 'drop-before-create', mode: 'drop-before-create' },
  { label: 'drop-after-create', mode: 'drop-after-create' },
  { label: 'delay-after-create (6 s, past the 3 s timeout)', mode: 'delay-after-create', options: { delayMs: 6_000 } },
  {
    label: 'delay-after-create, then Cancel',
    mode: 'delay-after-create',
    options: { delayMs: 20_000 },
    cancel: true,
  },
  { label: 'rate-limited (Retry-After 120 s)', mode: 'rate-limited', options: { retryAfterSeconds: 120 } },
  { label: 'slow-trickle', mode: 'slow-trickle', options: { delayMs: 400 } },
];

/** Says what happened or what to do, in words a person can act on. */
const SAYS_WHAT =
  /did not answer|could not reach|can't reach|failed|refused|limiting|lost|cancel|created|exists|not the expected|rejected/i;
const SAYS_WHAT_TO_DO = /try again|check|wait|look|safe to|pick/i;

test('wizard fault suite: every Cloud Elements fault during Create leaves the app calm, one instance at most, every input kept', async ({
  context,
  openWizard,
  emulator,
  profile,
}) => {
  test.setTimeout(300_000);
  let tried = 0;
  let crashes = 0;
  let duplicates = 0;
  let inputsLost = 0;
  let unclear = 0;
  const report: string[] = [];

  for (const fault of FAULTS) {
    emulator.reset();
    // Each fault meets a new user: no progress saved from the run before.
    rmSync(join(profile.settingsDir, 'settings.json'), { force: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await openWizard(page);
    const name = `Fault ${tried + 1}`;
    const expected: [string, string][] = [
      ['Instance name', name],
      ['Tags', 'fault, suite'],
      ['Callback URL', CALLBACK_URL],
    ];
    await connect(page, emulator.baseUrl, { remember: false });
    await freshdeskAccount(page, { remember: false });
    for (const [label, value] of expected) await page.getByLabel(label).fill(value);

    emulator.setFault(fault.mode, fault.options);
    tried += 1;
    await page.getByRole('button', { name: 'Create instance' }).click();
    if (fault.cancel === true) {
      await expect.poll(() => emulator.postCount()).toBe(1);
      await page.getByRole('button', { name: 'Cancel' }).click();
    }
    const outcome = page.getByTestId('create-result').or(page.getByTestId('create-error'));
    await expect(outcome).toBeVisible({ timeout: 45_000 });
    const message = (await outcome.innerText()).trim();
    const kindAttribute = page.getByTestId('create-error').locator('[data-error-kind]');
    const kind = (await kindAttribute.count()) > 0 ? await kindAttribute.getAttribute('data-error-kind') : null;
    emulator.setFault('none');

    const crashed = pageErrors.length > 0 || (await page.locator('[data-app-state="ready"]').count()) !== 1;
    const count = emulator.instances().filter((instance) => instance.name === name).length;
    const isUnclear =
      message === '' ||
      kind === 'internal' ||
      /something went wrong inside the app/i.test(message) ||
      !SAYS_WHAT.test(message) ||
      !SAYS_WHAT_TO_DO.test(message);

    // Every input kept its value, on this step and the earlier ones.
    let lost: string[] = [];
    for (const [label, value] of expected) {
      if ((await page.getByLabel(label).inputValue()) !== value) lost.push(label);
    }
    await page.getByRole('button', { name: 'Back' }).click();
    if ((await page.getByLabel('Freshdesk subdomain').inputValue()) !== 'acme') lost.push('subdomain');
    if ((await page.getByLabel('Freshdesk API key').inputValue()) !== FRESHDESK_API_KEY) lost.push('API key');
    await page.getByRole('button', { name: 'Back' }).click();
    if ((await page.getByLabel('Custom host or URL').inputValue()) !== emulator.baseUrl) lost.push('host');
    if ((await page.getByLabel('User secret').inputValue()) !== DEFAULT_ACCOUNT.userSecret) lost.push('user secret');
    if ((await page.getByLabel('Organization secret').inputValue()) !== DEFAULT_ACCOUNT.orgSecret)
      lost.push('org secret');
    lost = [...new Set(lost)];

    if (crashed) crashes += 1;
    if (count > 1) duplicates += 1;
    if (lost.length > 0) inputsLost += 1;
    if (isUnclear) unclear += 1;
    report.push(
      `  ${fault.label}: ${count} instance(s)${crashed ? ', CRASH' : ''}${lost.length > 0 ? `, lost ${lost.join(', ')}` : ''}${isUnclear ? ', UNCLEAR' : ''} — ${message.replace(/\s+/g, ' ').slice(0, 220)}`,
    );
    if (fault.label === 'rate-limited (Retry-After 120 s)') {
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('button', { name: 'Next' }).click();
      await snap(page, '26-create-fault-rate-limited');
    }
    await page.close();
  }

  await test.info().attach('fault details', { body: report.join('\n'), contentType: 'text/plain' });
  console.log(
    `wizard fault suite: ${tried} faults tried, ${crashes} crashes, ${duplicates} duplicate instances, ${inputsLost} inputs lost, ${unclear} unclear messages`,
  );
  expect(tried).toBe(FAULTS.length);
  expect(crashes).toBe(0);
  expect(duplicates).toBe(0);
  expect(inputsLost).toBe(0);
  expect(unclear).toBe(0);
});
