/** E2E tests: the real AppModule over real HTTP, MariaDB and Redis on loopback. */
module.exports = {
  rootDir: '.',
  testEnvironment: '<rootDir>/utils/log-capture-environment.js',
  setupFilesAfterEnv: ['<rootDir>/utils/capture-logs.setup.ts'],
  testRegex: '.*\\.e2e-spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.json' }] },
  setupFiles: ['<rootDir>/utils/set-timezone.js'],
  globalSetup: '<rootDir>/global-setup.ts',
  testTimeout: 30000,
};
