import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// Debian's Chromium where it is installed (CI, this project's machines); Playwright's own browser elsewhere.
const debianChromium = '/usr/bin/chromium';
// A port of its own for each run (kept in the environment so the workers agree), so two runs never collide.
process.env['FDEA_E2E_PORT'] ??= String(20_000 + Math.floor(Math.random() * 20_000));
const rendererPort = Number(process.env['FDEA_E2E_PORT']);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${rendererPort}`,
    viewport: { width: 960, height: 720 },
    launchOptions: existsSync(debianChromium) ? { executablePath: debianChromium } : {},
    permissions: ['clipboard-read', 'clipboard-write'],
    trace: 'retain-on-failure',
  },
  webServer: {
    // The built renderer (npm run build), served as static files: module scripts are refused from file:// in Chromium.
    command: `npx vite preview --outDir out/renderer --host 127.0.0.1 --port ${rendererPort} --strictPort`,
    url: `http://127.0.0.1:${rendererPort}/index.html`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
