// ESLint flat config: type-checked TypeScript, import hygiene, and the architecture
// rules of ARCHITECTURE.md (library order, queues, repositories, tenant setting),
// which live in tools/eslint/ so that the lint test can read them too.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import eslintJs from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettierConfig from 'eslint-config-prettier/flat';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import {
  architectureConfigs,
  assertEveryLibraryIsOrdered,
  SOURCE_EXTENSIONS,
  testFiles,
} from './tools/eslint/library-order.rules.js';
import { mendPlugin } from './tools/eslint/mend.plugin.js';

const root = dirname(fileURLToPath(import.meta.url));
assertEveryLibraryIsOrdered(`${root}/libs`);

const JS_FILES = ['**/*.{js,mjs,cjs}'];
const TEST_FILES = [...testFiles(), 'test/**/*.ts'];

export default defineConfig(
  globalIgnores(
    [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '.mend-demo/**',
      '**/test-results/**',
      // The web app's typed API client is generated from the OpenAPI document (npm run generate:api).
      'apps/web/src/api/generated/**',
    ],
    'mend/ignores',
  ),
  {
    name: 'mend/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' },
  },
  eslintJs.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    name: 'mend/typescript',
    files: [`**/*.${SOURCE_EXTENSIONS}`],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { 'import-x': importX, mend: mendPlugin },
    settings: {
      // Without these, import-x treats .ts dependencies as unparseable and no-cycle sees no edges.
      'import-x/extensions': ['.ts', '.tsx', '.cts', '.mts', '.js', '.jsx', '.cjs', '.mjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.cts', '.mts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json` })],
      'import-x/internal-regex': '^@mend/',
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', ['parent', 'sibling', 'index']],
          pathGroups: [{ pattern: '@mend/**', group: 'internal' }],
          'newlines-between': 'always',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      'mend/no-relative-escape': 'error',
      'mend/no-session-tenant-setting': 'error',
    },
  },
  ...architectureConfigs(),
  {
    name: 'mend/tests',
    files: TEST_FILES,
    languageOptions: { globals: { ...globals.jest } },
    rules: {
      // jest's expect(mock.method) passes methods around unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // Asymmetric matchers (expect.any, expect.stringContaining) are typed `any` by @types/jest.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    name: 'mend/lint-rule-tests',
    files: ['tools/eslint/**/*.spec.ts'],
    rules: {
      // The lint rules' own test holds forbidden SQL as snippets to lint, never to run.
      'mend/no-session-tenant-setting': 'off',
    },
  },
  {
    // The web app (React in the browser): its own tsconfig (apps/web/tsconfig.json), browser globals.
    name: 'mend/web',
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The web app's browser tests: node:test's describe/it return promises the runner tracks.
    name: 'mend/web-browser-tests',
    files: ['apps/web/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
    },
  },
  {
    // Config files and build scripts are plain JavaScript outside the TypeScript project.
    name: 'mend/javascript',
    files: JS_FILES,
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    name: 'mend/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettierConfig,
);
