import { test as base, expect, type Page } from '@playwright/test';
import Conf from 'conf';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, type ApiMethod } from '../main/ipc/channels.js';
import { dispatch } from '../main/ipc/dispatch.js';
import { createHandlers } from '../main/ipc/handlers.js';
import { createCloudElementsClient } from '../main/services/cloud-elements.js';
import { createFreshdeskClient } from '../main/services/freshdesk.js';
import { createSecretVault, type SecretVault } from '../main/services/secret-vault.js';
import { openSettings, storeSchema, type Settings } from '../main/services/settings.js';
import { startCloudElementsEmulator, type EmulatorOptions } from './emulators/cloud-elements.js';
import { startFreshdeskEmulator } from './emulators/freshdesk.js';

type Emulator = Awaited<ReturnType<typeof startCloudElementsEmulator>>;
type FreshdeskEmulator = Awaited<ReturnType<typeof startFreshdeskEmulator>>;

/** One user's machine: a settings folder and a keychain service of their own, kept across "restarts". */
export interface Profile {
  settingsDir: string;
  keychainService: string;
  vault: SecretVault;
}

interface Fixtures {
  /** Options of the Cloud Elements emulator: `test.use({ emulatorOptions: { accounts: [...] } })` for a freshdeskv2-only tenant. */
  emulatorOptions: EmulatorOptions;
  emulator: Emulator;
  /** The Freshdesk API of every subdomain the wizard names. */
  freshdesk: FreshdeskEmulator;
  /** Files the app saved through its save dialog (the dialog is answered with a temp folder). */
  saved: { path: string; content: string }[];
  opened: string[];
  profile: Profile;
  /** Starts the app on a page over the profile's settings and keychain: call it again on a new page to restart. */
  openWizard: (page: Page) => Promise<Page>;
  wizard: Page;
}

/**
 * The wizard in Chromium with the real main-process handlers behind
 * `window.api`: each call crosses into this Node process, goes through the
 * same schema check and handlers as in Electron, reaches the Cloud Elements
 * emulator over real HTTP, the real OS keychain (the session's Secret
 * Service) and a real settings file. Only Electron's own modules are
 * replaced: the clipboard is Chromium's, and "open in browser" is recorded.
 */
export const test = base.extend<Fixtures>({
  emulatorOptions: [{}, { option: true }],
  emulator: async ({ emulatorOptions }, use) => {
    const emulator = await startCloudElementsEmulator(emulatorOptions);
    await use(emulator);
    await emulator.close();
  },
  // Playwright fixtures take a destructured first argument even when they use none.
  // eslint-disable-next-line no-empty-pattern
  freshdesk: async ({}, use) => {
    const freshdesk = await startFreshdeskEmulator();
    await use(freshdesk);
    await freshdesk.close();
  },
  // eslint-disable-next-line no-empty-pattern
  opened: async ({}, use) => {
    await use([]);
  },
  // eslint-disable-next-line no-empty-pattern
  saved: async ({}, use) => {
    await use([]);
  },
  profile: async ({ emulator }, use, testInfo) => {
    const keychainService = `Freshdesk Events Setup Assistant (e2e ${process.pid}-${testInfo.testId})`;
    const profile = {
      settingsDir: mkdtempSync(join(tmpdir(), 'fdea-e2e-settings-')),
      keychainService,
      vault: createSecretVault({ service: keychainService }),
    };
    await use(profile);
    // Leave nothing behind in the keychain of a developer's machine.
    await profile.vault.forgetCloudElements(new URL(emulator.baseUrl).host).catch(() => false);
    await profile.vault.forgetCloudElements('api.cloud-elements.com').catch(() => false);
    await profile.vault.forgetFreshdesk('acme').catch(() => false);
  },
  openWizard: async ({ profile, opened, freshdesk, saved }, use) => {
    const downloads = mkdtempSync(join(tmpdir(), 'fdea-e2e-saved-'));
    await use(async (page) => {
      const settings = openSettings(
        () => new Conf<Settings>({ cwd: profile.settingsDir, configName: 'settings', schema: storeSchema() }),
        { filePath: join(profile.settingsDir, 'settings.json') },
      );
      const handlers = createHandlers({
        cloudElements: (apiBase, credentials) => createCloudElementsClient({ apiBase, credentials, timeoutMs: 3_000 }),
        writeClipboard: async (text) => {
          await page.evaluate((value) => navigator.clipboard.writeText(value), text);
        },
        openExternal: async (url) => {
          opened.push(url);
        },
        freshdesk: (_subdomain, apiKey) =>
          createFreshdeskClient({ baseUrl: freshdesk.baseUrl, apiKey, timeoutMs: 3_000 }),
        saveFile: async (suggestedName, content) => {
          const path = join(downloads, suggestedName);
          writeFileSync(path, content);
          saved.push({ path, content });
          return path;
        },
        vault: profile.vault,
        settings,
      });
      await page.exposeBinding('__callMain', (_source, method: ApiMethod, request: unknown) =>
        dispatch(handlers, method, request),
      );
      await page.addInitScript((methods: string[]) => {
        const call = (window as unknown as { __callMain: (method: string, request: unknown) => Promise<unknown> })
          .__callMain;
        Object.defineProperty(window, 'api', {
          value: Object.freeze(
            Object.fromEntries(methods.map((method) => [method, (request: unknown) => call(method, request)])),
          ),
        });
      }, Object.keys(CHANNELS));
      await page.goto('/index.html');
      await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
      return page;
    });
  },
  wizard: async ({ page, openWizard }, use) => {
    await use(await openWizard(page));
  },
});

export { expect };

/**
 * Saves a screenshot of the whole current step under e2e/screenshots/ for a
 * person to look at. The step scrolls inside the window, so the window is
 * made as tall as the step for the picture, then put back.
 */
export async function snap(page: Page, name: string): Promise<void> {
  const hidden = await page.evaluate(() => {
    const scroller = document.querySelector('.main__scroll');
    return scroller ? scroller.scrollHeight - scroller.clientHeight : 0;
  });
  const size = page.viewportSize();
  if (hidden > 0 && size) await page.setViewportSize({ width: size.width, height: size.height + hidden });
  await page.screenshot({ path: `e2e/screenshots/${name}.png` });
  if (hidden > 0 && size) await page.setViewportSize(size);
}
