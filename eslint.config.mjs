// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const MODULES = [
  'agents',
  'auth',
  'bootstrap',
  'caching',
  'compute',
  'config',
  'documents',
  'external-data',
  'logging',
  'monitoring',
  'pagination',
  'persistence',
  'queues',
  'rate-limit',
  'redis',
  'resilience',
  'templates',
  'tools',
  'users',
  'workflows',
];

/** Platform modules: each registers its own monitoring; monitoring imports none of them. */
const PLATFORM = [
  'caching',
  'pagination',
  'persistence',
  'queues',
  'rate-limit',
  'redis',
  'resilience',
];

// Across modules, import only the module's public index, from any depth (`../../caching/engine/x`
// from a sub-folder too). So no sub-folder may share a module's name: `src/queues/monitoring/`
// was renamed `telemetry/` for this.
const INDEX_ONLY = {
  regex: `^(\\.\\./)+(${MODULES.join('|')})/.+`,
  message: 'Import another module only through its index (../module).',
};

// One direction: platform modules import MonitoringCoreModule and register their health
// indicators, checks, metrics and stats from their own `x.monitoring.ts`; never the reverse.
const MONITORING_IMPORTS_NO_PLATFORM = {
  regex: `^(\\.\\./)+(${PLATFORM.join('|')})$`,
  message:
    "Monitoring imports no platform module: register the contribution from the module's own x.monitoring.ts through MonitoringCoreModule.",
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'eslint.config.mjs',
      'jest.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-restricted-imports': ['error', { patterns: [INDEX_ONLY] }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read env only in *.config.ts files.' },
      ],
    },
  },
  {
    files: [
      'src/**/*.config.ts',
      'src/persistence/data-source.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Specs included: a monitoring test that needs a platform module belongs to that module.
    files: ['src/monitoring/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [INDEX_ONLY, MONITORING_IMPORTS_NO_PLATFORM] },
      ],
    },
  },
);
