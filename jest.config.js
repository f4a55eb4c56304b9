/** Unit specs sit beside the code; e2e specs under test/ talk to the real PostgreSQL and Redis. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
// ESM-only dependencies that Jest (below Node 24.9) cannot require: transpiled to CommonJS.
const ESM_DEPENDENCIES = ['content-disposition'];
const esmTransform = {
  [`node_modules/(${ESM_DEPENDENCIES.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: { allowJs: true, module: "commonjs", isolatedModules: true } },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_DEPENDENCIES.join('|')})/)`];

/**
 * The fault suite, the cache's Redis outage test and the cross-instance invalidation latency test
 * (see the `timed` project).
 */
const TIMED_SUITES = [
  '<rootDir>/test/e2e/faults/**/*.e2e-spec.ts',
  '<rootDir>/test/e2e/caching/invalidation.e2e-spec.ts',
  '<rootDir>/test/e2e/caching/redis-outage.e2e-spec.ts',
  // p99 of 1,000 timeouts within 5 ms of the deadline: failed once with helpers and CI on 2 cores.
  '<rootDir>/src/resilience/engine/deadline.spec.ts',
];
const TIMED_SUITES_IGNORED = [
  '<rootDir>/test/e2e/faults/',
  '<rootDir>/test/e2e/caching/invalidation\\.',
  '<rootDir>/test/e2e/caching/redis-outage\\.',
  '<rootDir>/src/resilience/engine/deadline\\.spec',
];

/** @type {import('jest').Config} */
module.exports = {
  // Per-project testTimeout is ignored by Jest; e2e tests talk to real services, so allow 60 s.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
      ],
      testPathIgnorePatterns: ['/node_modules/', ...TIMED_SUITES_IGNORED],
      transform: { '^.+\\.ts$': tsJest, ...esmTransform },
      transformIgnorePatterns,
      setupFiles: ['<rootDir>/test/setup/env.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...TIMED_SUITES_IGNORED],
      transform: { '^.+\\.ts$': tsJest, ...esmTransform },
      transformIgnorePatterns,
      setupFiles: ['<rootDir>/test/setup/env.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
    {
      // Suites that time requests in milliseconds: `npm test` runs them in a jest process of their
      // own, after the others, so no heap grown by 100 other files (full collections of hundreds
      // of ms) and no handle they left behind lands inside their measurements.
      displayName: 'timed',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: TIMED_SUITES,
      transform: { '^.+\\.ts$': tsJest, ...esmTransform },
      transformIgnorePatterns,
      setupFiles: ['<rootDir>/test/setup/env.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
