import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // All IPC goes through the typed contract: no raw ipcRenderer/ipcMain outside the two files that wire it.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcRenderer', 'ipcMain'],
              message: 'Use the typed contract in main/ipc (registration and preload only).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/ipc/register.ts', 'main/app/preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'node:*', 'keytar', 'electron-store', 'conf'],
              message: 'The renderer reaches main only through window.api.',
            },
            {
              group: ['**/main/services/*', '**/main/app/*', '**/main/cli/*'],
              message: 'The renderer may import main/core and types from main/ipc only.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
