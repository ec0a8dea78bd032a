// `npm run lint`: ESLint's and typescript-eslint's recommended rules (not the type-checked sets),
// and import-x/no-cycle: no module may import itself through others (the benches once did, via
// loadtest/apiBench.ts). `npm test` runs it as a step of its own.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', 'terraform/**/.terraform/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_name` says "deliberately unused": an Express error handler's `next`, a field left out of a rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Plain Node scripts (stack/bootstrap.js runs before anything is installed or compiled).
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['loadtest/k6/**'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // k6 scripts: ES modules run by k6, with its globals.
    files: ['loadtest/k6/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly', open: 'readonly', console: 'readonly' } },
  },
);
