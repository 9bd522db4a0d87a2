import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Builds the command-line tool as one Node ESM file; npm dependencies stay external. */
export default defineConfig({
  build: {
    ssr: resolve('main/cli/main.ts'),
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      output: { entryFileNames: 'freshdesk-events.js', banner: '#!/usr/bin/env node' },
    },
  },
});
