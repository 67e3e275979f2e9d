import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Layers may import only the layers above them in ARCHITECTURE.md's table; lint enforces the arrows. */
const layer = (files, forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((dir) => ({
          group: [`**/${dir}/*`, `**/${dir}/**`],
          message: `${files[0].split('/')[0]}/ may not import from ${dir}/ (see ARCHITECTURE.md, Layout).`,
        })),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', '.data/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-console': 'error',
    },
  },
  {
    // The admin console's front end: plain ES modules that run in the browser (no build step).
    files: ['gateway/console/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'module' },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  layer(['core/**/*.ts'], ['connectors', 'workers', 'sso', 'gateway', 'bin', 'test', 'bench', 'migrations']),
  layer(['connectors/**/*.ts'], ['workers', 'sso', 'gateway', 'bin', 'bench', 'migrations']),
  layer(['workers/**/*.ts'], ['sso', 'gateway', 'bin', 'bench', 'migrations']),
  layer(['sso/**/*.ts'], ['connectors', 'workers', 'gateway', 'bin', 'bench', 'migrations']),
  layer(['gateway/**/*.ts'], ['bin', 'bench', 'migrations']),
  {
    // Workflow code is replayed deterministically inside Temporal's sandbox: no I/O, no Node built-ins, no clock.
    files: ['workers/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message: 'Workflows are deterministic: no Node built-ins (do I/O in an activity).',
            },
            {
              group: [
                'typeorm',
                'pg',
                'axios',
                'express',
                'ldapts',
                '**/core/db/**',
                '**/core/entities/**',
                '**/connectors/**',
              ],
              allowTypeImports: true,
              message: 'Workflows may import types only from here; do the work in an activity.',
            },
            { group: ['**/activities/*'], allowTypeImports: true, message: 'Import activity types only.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setInterval', message: 'Use workflow sleep / schedules.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Non-deterministic.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The CLI, benchmarks and simulators print to the terminal on purpose.
    files: ['bin/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
