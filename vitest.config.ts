import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Keychain tests share one Secret Service: run files one at a time.
    fileParallelism: false,
  },
});
