import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The product uses @stoqey/ib's public entry point only, never its internals. */
const NO_DEEP_IB = { group: ['@stoqey/ib/*'], message: "Use @stoqey/ib's public API (import from '@stoqey/ib'), not its internal modules." };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // type-aware: a promise nobody awaits or catches is an unhandled rejection in the extension host
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }] },
  },
  {
    files: ['src/ib/**/*.ts', 'media/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only the VS Code layer (src/vscode, src/extension.ts) may import vscode.' }], patterns: [NO_DEEP_IB] },
      ],
    },
  },
  {
    files: ['src/vscode/**/*.ts', 'src/bridge/**/*.ts', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NO_DEEP_IB] }],
    },
  },
  {
    // The simulator is an oracle: its own tables, never the extension's domain (nor VS Code).
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The simulator never imports vscode.' }],
          patterns: [
            { regex: '^(\\.{1,2}/)+(src/)?ib(/|$)', message: 'The simulator never imports the domain (src/ib): give it its own table in src/sim/facts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'bench/**'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
);
