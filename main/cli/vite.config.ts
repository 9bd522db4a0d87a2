import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Builds the command-line tool as one Node ESM file; only keytar (native) stays external. */
export default defineConfig({
  ssr: { noExternal: true, external: ['keytar'] },
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
