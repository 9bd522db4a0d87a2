import { test as base, expect, type Page } from '@playwright/test';
import { CHANNELS, type ApiMethod } from '../main/ipc/channels.js';
import { dispatch } from '../main/ipc/dispatch.js';
import { createHandlers } from '../main/ipc/handlers.js';
import { createCloudElementsClient } from '../main/services/cloud-elements.js';
import { startCloudElementsEmulator } from './emulators/cloud-elements.js';

type Emulator = Awaited<ReturnType<typeof startCloudElementsEmulator>>;

/**
 * The wizard in Chromium with the real main-process handlers behind
 * `window.api`: each call crosses into this Node process, goes through the
 * same schema check and handlers as in Electron, and reaches the Cloud
 * Elements emulator over real HTTP. Only Electron's own modules are replaced:
 * the clipboard is Chromium's, and "open in browser" is recorded.
 */
export const test = base.extend<{ emulator: Emulator; opened: string[]; wizard: Page }>({
  // Playwright fixtures take a destructured first argument even when they use none.
  // eslint-disable-next-line no-empty-pattern
  emulator: async ({}, use) => {
    const emulator = await startCloudElementsEmulator();
    await use(emulator);
    await emulator.close();
  },
  // eslint-disable-next-line no-empty-pattern
  opened: async ({}, use) => {
    await use([]);
  },
  wizard: async ({ page, opened }, use) => {
    const handlers = createHandlers({
      cloudElements: (apiBase, credentials) => createCloudElementsClient({ apiBase, credentials, timeoutMs: 3_000 }),
      writeClipboard: async (text) => {
        await page.evaluate((value) => navigator.clipboard.writeText(value), text);
      },
      openExternal: async (url) => {
        opened.push(url);
      },
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
    await use(page);
  },
});

export { expect };

/** Saves a screenshot of the current step under e2e/screenshots/ for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
