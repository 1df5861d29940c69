import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The product uses @stoqey/ib's public entry point only, never its internals. */
const NO_DEEP_IB = { group: ['@stoqey/ib/*'], message: "Use @stoqey/ib's public API (import from '@stoqey/ib'), not its internal modules." };

/** The domain reaches @stoqey/ib through the transport's read-only wire only. */
const ONLY_TRANSPORT = "Only src/ib/transport loads or calls @stoqey/ib (import its types with 'import type'); use the session's read-only wire.";

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
    // One seam: only src/ib/transport loads or calls @stoqey/ib; elsewhere its types may be named, nothing of it run.
    files: ['src/ib/**/*.ts', 'src/vscode/**/*.ts', 'src/bridge/**/*.ts', 'src/extension.ts'],
    ignores: ['src/ib/transport/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: '@stoqey/ib', allowTypeImports: true, message: ONLY_TRANSPORT }] }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='require'][arguments.0.value=/^@stoqey\\u002Fib/]", message: ONLY_TRANSPORT }],
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
