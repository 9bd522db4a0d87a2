import { _electron as electron, expect, test } from '@playwright/test';
import { createRequire } from 'node:module';
import { CHANNELS } from '../main/ipc/channels.js';

/**
 * The real Electron app: preload bridge, sandbox, main-process clipboard,
 * navigation lock. Runs wherever the Electron binary is installed (a normal
 * `npm install` downloads it); elsewhere it is skipped with the reason printed.
 */
function electronBinary(): { path?: string; reason?: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' ? { path } : { reason: 'the electron package did not give a binary path' };
  } catch {
    // electron's own message ("failed to install correctly, please delete...") reads like an order; say what it means.
    return { reason: 'the Electron binary is not installed (npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1)' };
  }
}

const binary = electronBinary();
const headless = process.platform === 'linux' && !process.env['DISPLAY'];
const skipReason = binary.reason ?? (headless ? 'Electron needs a display: run under xvfb-run' : undefined);
if (skipReason) console.log(`Electron e2e skipped: ${skipReason}`);

test.describe('Electron app', () => {
  test.skip(skipReason !== undefined, skipReason);

  test('exposes exactly the contract, sandboxed, and writes the clipboard from main', async () => {
    const app = await electron.launch({ args: ['.'], ...(binary.path ? { executablePath: binary.path } : {}) });
    try {
      const page = await app.firstWindow();
      await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
      const bridge = await page.evaluate(() => ({
        methods: Object.keys((window as unknown as { api: object }).api).sort(),
        hasRequire: typeof (window as unknown as { require?: unknown }).require !== 'undefined',
        hasProcess: typeof (window as unknown as { process?: unknown }).process !== 'undefined',
      }));
      expect(bridge).toEqual({ methods: Object.keys(CHANNELS).sort(), hasRequire: false, hasProcess: false });

      const written = await page.evaluate(() =>
        (window as unknown as { api: { writeClipboard(r: { text: string }): Promise<unknown> } }).api.writeClipboard({
          text: 'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=',
        }),
      );
      expect(written).toEqual({ ok: true, value: { written: true } });
      expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toBe(
        'https://api.cloud-elements.com/elements/api-v2/events/freshdesk/MjA5MzE=',
      );

      const before = page.url();
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe(before);
    } finally {
      await app.close();
    }
  });
});
