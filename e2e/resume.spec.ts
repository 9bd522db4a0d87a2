import type { Page } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../main/services/settings.js';
import { explainKeychainError } from '../main/services/secret-vault.js';
import { DEFAULT_ACCOUNT } from './emulators/cloud-elements.js';
import { expect, snap, test, type Profile } from './harness.js';

/**
 * Issue 3 as a user meets it: secrets remembered in the real OS keychain (the
 * session's Secret Service), progress in a real settings file, and a restart
 * (a new page over the same profile) that gets the events URL back onto the
 * clipboard in one click.
 */

const FRESHDESK_API_KEY = 'fd-Key-9x8Y7z';
const CALLBACK_URL = 'https://app.example.com/hooks/freshdesk';
const SECRETS = [DEFAULT_ACCOUNT.userSecret, DEFAULT_ACCOUNT.orgSecret, FRESHDESK_API_KEY];

function readSettings(profile: Profile): Record<string, unknown> {
  const path = join(profile.settingsDir, 'settings.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function expectNoSecretOnPage(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  // Nor in any input other than the secret fields while they are shown.
  const values = await page
    .locator('input:not([type=password]):not([type=checkbox]):not([type=radio]), textarea')
    .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  for (const secret of SECRETS) expect(values.join('\n')).not.toContain(secret);
}

/** First run, remember on (the default): create an instance and reach the Events URL step. */
async function firstRun(page: Page, apiBase: string): Promise<string> {
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByLabel('Environment').selectOption('custom');
  await page.getByLabel('Custom host or URL').fill(apiBase);
  await page.getByLabel('User secret').fill(DEFAULT_ACCOUNT.userSecret);
  await page.getByLabel('Organization secret').fill(DEFAULT_ACCOUNT.orgSecret);
  await expect(page.getByLabel('Remember in the OS keychain')).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Freshdesk subdomain').fill('acme.freshdesk.com');
  await page.getByLabel('Freshdesk API key').fill(FRESHDESK_API_KEY);
  await expect(page.getByLabel('Remember in the OS keychain')).toBeChecked();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Tags').fill('prod, freshdesk');
  await page.getByLabel('Callback URL').fill(CALLBACK_URL);
  await page.getByRole('button', { name: 'Create instance' }).click();
  await expect(page.getByTestId('create-result')).toContainText('Instance 20931 created');
  await expect(page.getByTestId('create-keychain')).toHaveText('Cloud Elements secrets: saved in the OS keychain');
  await expect(page.getByTestId('create-freshdesk-keychain')).toHaveText('Freshdesk API key: saved in the OS keychain');
  await page.getByRole('button', { name: 'Next' }).click();
  const eventsUrl = `${apiBase}/events/freshdesk/MjA5MzE=`;
  await expect(page.getByTestId('value-events-url')).toHaveText(eventsUrl);
  return eventsUrl;
}

test('a returning user gets the events URL onto the clipboard in one click, then uses or forgets the saved secrets', async ({
  wizard: page,
  openWizard,
  profile,
  emulator,
  context,
}) => {
  const host = new URL(emulator.baseUrl).host;
  const eventsUrl = await firstRun(page, emulator.baseUrl);
  // The step change is saved at once; wait for it on disk before "restarting".
  await expect.poll(() => readSettings(profile)['currentStep']).toBe('events-url');
  expect(readSettings(profile)['instance']).toEqual({ id: '20931', name: 'Freshdesk events (acme)' });
  await page.close();

  // Restart: a new page over the same settings folder and keychain.
  const again = await openWizard(await context.newPage());
  await again.evaluate(() => navigator.clipboard.writeText('something else'));
  const banner = again.getByTestId('resume-banner');
  await expect(banner).toContainText(`Welcome back — instance 20931 (Freshdesk events (acme)) on ${host}`);
  await expect(again.getByTestId('resume-events-url')).toHaveText(eventsUrl);
  await snap(again, '14-welcome-resume');

  let actions = 0;
  await banner.getByRole('button', { name: 'Copy events URL' }).click();
  actions += 1;
  await expect(again.getByTestId('copy-status-resume-events-url')).toHaveText('Copied');
  expect(await again.evaluate(() => navigator.clipboard.readText())).toBe(eventsUrl);
  expect(actions).toBeLessThanOrEqual(2);
  console.log(`returning user: events URL on the clipboard after ${actions} action (limit 2)`);

  // "Continue where you left off" opens the saved step, which works at once.
  await again.getByRole('button', { name: 'Continue where you left off' }).click();
  await expect(again.getByTestId('value-events-url')).toHaveText(eventsUrl);

  // Connect: the saved secrets are reported for the emulator's host and work without typing.
  await again.getByRole('button', { name: 'Connect to Cloud Elements' }).click();
  await expect(again.getByLabel('Custom host or URL')).toHaveValue(emulator.baseUrl);
  const saved = again.getByTestId('saved-cloud-elements');
  await expect(saved).toContainText(`Secrets for ${host} are saved in the OS keychain.`);
  await expect(again.getByLabel('User secret')).toHaveValue('');
  await snap(again, '15-connect-saved-secrets');
  await saved.getByRole('button', { name: 'Use saved secrets' }).click();
  await expect(saved).toContainText(`Using the secrets saved for ${host}`);
  await expect(again.getByLabel('User secret')).toHaveCount(0);
  await expect(again.getByLabel('Organization secret')).toHaveCount(0);
  await again.getByRole('button', { name: 'Test connection' }).click();
  await expect(again.getByTestId('connection-result')).toContainText('Secrets accepted');
  await snap(again, '15b-connect-using-saved-secrets');
  await expectNoSecretOnPage(again);

  // Freshdesk: the API key saved for acme creates a second instance without being typed.
  await again.getByRole('button', { name: 'Next' }).click();
  await expect(again.getByLabel('Freshdesk subdomain')).toHaveValue('acme');
  const savedFreshdesk = again.getByTestId('saved-freshdesk');
  await expect(savedFreshdesk).toContainText('Freshdesk credentials for acme.freshdesk.com are saved');
  await savedFreshdesk.getByRole('button', { name: 'Use saved credentials' }).click();
  await expect(again.getByLabel('Freshdesk API key')).toHaveCount(0);
  await again.getByRole('button', { name: 'Next' }).click();
  await expect(again.getByTestId('create-result')).toContainText('from your last session');
  await again.getByRole('button', { name: 'Create a different instance instead' }).click();
  await again.getByLabel('Instance name').fill('Freshdesk events (acme, second)');
  await expect(again.getByLabel('Callback URL')).toHaveValue(CALLBACK_URL);
  await expect(again.getByLabel('Tags')).toHaveValue('prod, freshdesk');
  await again.getByRole('button', { name: 'Create instance' }).click();
  await expect(again.getByTestId('create-result')).toContainText('Instance 20932 created');
  expect(emulator.instances()[1]).toMatchObject({
    name: 'Freshdesk events (acme, second)',
    configuration: { subdomain: 'acme', 'api.key': FRESHDESK_API_KEY, 'event.notification.callback.url': CALLBACK_URL },
  });
  await expectNoSecretOnPage(again);

  // Forget: the keychain entries go, and the fields come back.
  await again.getByRole('button', { name: 'Freshdesk account' }).click();
  await again.getByRole('button', { name: 'Forget saved credentials' }).click();
  await expect(again.getByTestId('saved-freshdesk')).toHaveCount(0);
  await expect(again.getByLabel('Freshdesk API key')).toBeVisible();
  expect(await profile.vault.readFreshdesk('acme')).toBeUndefined();
  await again.getByRole('button', { name: 'Connect to Cloud Elements' }).click();
  await again.getByRole('button', { name: 'Forget saved secrets' }).click();
  await expect(again.getByTestId('saved-cloud-elements')).toHaveCount(0);
  await expect(again.getByLabel('User secret')).toBeVisible();
  await expect(again.getByLabel('User secret')).toHaveValue('');
  expect(await profile.vault.readCloudElements(host)).toBeUndefined();
});

test('secret scan: after a full run with remember on, no secret is in the settings folder or on the page', async ({
  wizard: page,
  openWizard,
  profile,
  emulator,
  context,
}) => {
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(message.text()));
  const eventsUrl = await firstRun(page, emulator.baseUrl);
  await expectNoSecretOnPage(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Walk me through it').check();
  await page.getByLabel('Click "Admin" (the gear at the bottom of the left sidebar)').check();
  await expectNoSecretOnPage(page);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('step-verify')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('summary-events-url')).toHaveText(eventsUrl);
  await expectNoSecretOnPage(page);
  // Done records the finished setup once.
  await expect.poll(() => (readSettings(profile)['history'] as unknown[] | undefined)?.length).toBe(1);

  // "Set up another" keeps the environment, auth kind, tags and callback URL; drops the instance.
  await page.getByRole('button', { name: 'Set up another' }).click();
  await expect(page.getByTestId('step-welcome')).toBeVisible();
  await expect(page.getByTestId('resume-banner')).toHaveCount(0);
  await expect(page.getByTestId('recent-setups')).toContainText('20931');
  await expect.poll(() => readSettings(profile)['instance']).toBeNull();
  expect(readSettings(profile)).toMatchObject({
    apiBase: emulator.baseUrl,
    authKind: 'apiKey',
    tags: 'prod, freshdesk',
    callbackUrl: CALLBACK_URL,
    currentStep: 'welcome',
    walkthrough: { ui: 'current', done: [] },
  });
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByLabel('Custom host or URL')).toHaveValue(emulator.baseUrl);
  await expect(page.getByLabel('User secret')).toHaveValue('');

  // The keychain holds the secrets (that is where they belong)...
  expect(await profile.vault.readCloudElements(new URL(emulator.baseUrl).host)).toEqual({
    userSecret: DEFAULT_ACCOUNT.userSecret,
    orgSecret: DEFAULT_ACCOUNT.orgSecret,
  });
  // ...and nothing else does: every file in the settings folder, the page after a restart, the console.
  const restarted = await openWizard(await context.newPage());
  restarted.on('console', (message) => consoleLines.push(message.text()));
  await expect(restarted.getByTestId('recent-setups')).toContainText(eventsUrl);
  await snap(restarted, '19-welcome-recent-setups');
  await expectNoSecretOnPage(restarted);
  const files = filesUnder(profile.settingsDir);
  expect(files.length).toBeGreaterThan(0);
  let hits = 0;
  for (const file of files) {
    const content = readFileSync(file, 'utf8');
    for (const secret of SECRETS) if (content.includes(secret)) hits += 1;
  }
  for (const line of consoleLines) for (const secret of SECRETS) if (line.includes(secret)) hits += 1;
  console.log(`secret scan: ${files.length} files, ${hits} hits`);
  expect(hits).toBe(0);
});

test('walkthrough ticks and UI choice survive a restart; an entered instance ID resumes offline', async ({
  wizard: page,
  openWizard,
  profile,
  context,
}) => {
  await page.getByRole('button', { name: 'Start' }).click();
  await page.getByLabel('Environment').selectOption('eu');
  await page.getByLabel('User secret').fill(DEFAULT_ACCOUNT.userSecret);
  await page.getByLabel('Organization secret').fill(DEFAULT_ACCOUNT.orgSecret);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Freshdesk subdomain').fill('acme');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('I already have an instance ID').check();
  await page.getByLabel('Instance ID or pasted response').fill('1234');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Legacy UI (Admin > Observer)').check();
  await page.getByLabel('Click "Admin"', { exact: true }).check();
  await page.getByLabel('Select "New Rule"').check();
  await expect(page.getByTestId('walkthrough-progress')).toContainText('2 of');
  await expect
    .poll(() => readSettings(profile)['walkthrough'])
    .toEqual({ ui: 'legacy', done: ['legacy:admin:admin', 'legacy:new-rule:new'] });
  // Secrets typed but never proved by a call: nothing was saved in the keychain.
  expect(await profile.vault.readCloudElements('api.cloud-elements.co.uk')).toBeUndefined();
  await page.close();

  const again = await openWizard(await context.newPage());
  await expect(again.getByTestId('resume-banner')).toContainText(
    'Welcome back — instance 1234 on api.cloud-elements.co.uk',
  );
  await again.getByRole('button', { name: 'Continue where you left off' }).click();
  await expect(again.getByTestId('step-walkthrough')).toBeVisible();
  await expect(again.getByLabel('Legacy UI (Admin > Observer)')).toBeChecked();
  await expect(again.getByLabel('Select "New Rule"')).toBeChecked();
  await expect(again.getByTestId('walkthrough-progress')).toContainText('2 of');
  await again.getByRole('button', { name: 'Copy events URL' }).click();
  expect(await again.evaluate(() => navigator.clipboard.readText())).toBe(
    'https://api.cloud-elements.co.uk/elements/api-v2/events/freshdesk/MTIzNA==',
  );
});

test('a corrupt settings file is set aside: the app starts fresh and says where the old file is', async ({
  page,
  openWizard,
  profile,
}) => {
  writeFileSync(join(profile.settingsDir, 'settings.json'), '{"schemaVersion": 1, "apiBase": "api.cloud-elem');
  await openWizard(page);
  const notice = page.getByTestId('settings-notice');
  await expect(notice).toContainText('could not be read');
  const backup = readdirSync(profile.settingsDir).find((name) => name.startsWith('settings.json.corrupt-'));
  expect(backup).toBeDefined();
  await expect(notice).toContainText(join(profile.settingsDir, backup ?? ''));
  await expect(page.getByTestId('resume-banner')).toHaveCount(0);
  await snap(page, '16-corrupt-settings');
  await page.getByRole('button', { name: 'Dismiss: Saved progress was reset' }).click();
  await expect(notice).toHaveCount(0);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('step-connect')).toBeVisible();
});

test('no usable keychain: a plain banner with the fix, and "remember" is off', async ({ page }) => {
  // main's answer when there is no D-Bus session (the unit tests cover the real failure modes).
  const message = `Could not reach the keychain: ${explainKeychainError(
    new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'),
    'linux',
  )}`;
  const keychain = { usable: false, message };
  await page.addInitScript(
    ({ settings, keychain }) => {
      const ok = (value: unknown) => Promise.resolve({ ok: true, value });
      Object.defineProperty(window, 'api', {
        value: Object.freeze({
          loadSession: () => ok({ settings, notice: undefined, keychain }),
          savedSecrets: () => ok({ cloudElements: false, freshdesk: false, keychain }),
          saveProgress: () => ok({ saved: true }),
        }),
      });
    },
    { settings: DEFAULT_SETTINGS, keychain },
  );
  await page.goto('/index.html');
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  const banner = page.getByTestId('keychain-banner');
  await expect(banner).toContainText('The OS keychain cannot be used');
  await expect(banner).toContainText('no D-Bus session');
  await expect(banner).toContainText('Secrets are kept in memory for this run only');
  await snap(page, '17-keychain-unusable');
  await page.getByRole('button', { name: 'Start' }).click();
  const remember = page.getByLabel('Remember in the OS keychain');
  await expect(remember).toBeDisabled();
  await expect(remember).not.toBeChecked();
  await expect(page.getByTestId('step-connect')).toContainText('Not available: the OS keychain cannot be used');
  await snap(page, '18-connect-no-keychain');
  // Once the banner is dismissed, the hint itself says what is wrong.
  await page.getByRole('button', { name: 'Dismiss: The OS keychain cannot be used' }).click();
  await expect(page.getByTestId('step-connect')).toContainText('Not available: Could not reach the keychain');
  await expect(page.getByTestId('step-connect')).toContainText('Secrets are kept in memory for this run only');
});
