/**
 * Scale-out tests (`npm run test:scale`): several built service processes on one database, MySQL read
 * replicas, Redis Cluster and Sentinel, each on servers the tests start on their own ports.
 */
module.exports = {
  rootDir: '.',
  testEnvironment: '<rootDir>/utils/log-capture-environment.js',
  setupFilesAfterEnv: ['<rootDir>/utils/capture-logs.setup.ts'],
  testRegex: 'scale/.*\\.scale-spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.json' }] },
  setupFiles: ['<rootDir>/utils/set-timezone.js'],
  globalSetup: '<rootDir>/scale/global-setup.ts',
  testTimeout: 120000,
};
