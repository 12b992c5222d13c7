// Lint rules that keep the structure honest: the core never imports VS Code or the front ends, and
// no module imports itself back through a cycle. Type checking is tsc's (`npm run check`).
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-host/**', '**/*.mjs', 'media/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    settings: {
      // TypeScript sources are parsed to follow their imports; resolved as Node does, with .ts first.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      // Lazy require() keeps big data (prices, test encoders) off the activation path.
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-this-alias': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The core is plain TypeScript: VS Code glue goes in src/extension.' }],
          patterns: [{ group: ['**/extension/**', '**/cli/**'], message: 'The core does not depend on its front ends.' }],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Commands are independent: what two share lives in the core or a neutral CLI module.
    files: ['src/cli/*Command.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['./*Command'], message: 'A CLI command does not import another command: move what they share to the core or a neutral CLI module.' }] }],
    },
  },
  {
    files: ['src/library/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The library runs in applications, outside VS Code.' }],
          patterns: [{ group: ['**/extension/**', '**/cli/**'], message: 'The library is built on the core, not on the front ends.' }],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
);
