// One linter for the whole tree. Per-folder import rules keep the layers honest:
// shared/ is pure, renderer/ never reaches into main/.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'tls',
  'dns',
  'child_process',
  'url',
  'util',
  'stream',
  'events',
  'worker_threads',
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.filter((n) => !n.includes('*')),
            'electron',
            'react',
            'react-dom',
            'keytar',
            'conf',
            'electron-store',
            '@elastic/elasticsearch',
          ],
          patterns: [
            { group: ['node:*'], message: 'shared/ is pure: no Node imports.' },
            {
              group: ['../main/*', '../renderer/*', '**/main/**', '**/renderer/**'],
              message: 'shared/ imports nothing from main/ or renderer/.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.filter((n) => !n.includes('*')),
            'electron',
            'keytar',
            'conf',
            'electron-store',
            '@elastic/elasticsearch',
          ],
          patterns: [
            { group: ['node:*'], message: 'renderer/ runs in a sandbox: no Node imports.' },
            {
              group: ['**/main/**', '../main/*', '../../main/*'],
              message: 'renderer/ talks to main only through the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'services are environment-free: no Electron imports.' }] },
      ],
    },
  },
);
