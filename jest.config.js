/**
 * Jest runs the TypeScript sources as native ES modules (node --experimental-vm-modules),
 * transformed by SWC. The global setup starts one real Postgres cluster and one Temporal dev
 * server for the run; workflow tests start their own time-skipping server.
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/sdk/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023', keepClassNames: true }, module: { type: 'es6' } },
    ],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120_000,
  // A run that has reported ends: in band (test:lifecycle, or one file), a handle left open
  // after the summary kept the process alive, and CI waited for it.
  forceExit: true,
  maxWorkers: 2,
  verbose: true,
  // Jest's summary and one plain closing line (tests: N passed, N failed, N skipped).
  reporters: ['default', '<rootDir>/test/support/closing-line-reporter.ts'],
};
