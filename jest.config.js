/** Unit tests: *.spec.ts beside the code. Some touch the real Redis/MariaDB on loopback. */
module.exports = {
  rootDir: 'src',
  testEnvironment: '<rootDir>/../test/utils/log-capture-environment.js',
  setupFilesAfterEnv: ['<rootDir>/../test/utils/capture-logs.setup.ts'],
  testRegex: '.*\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.json' }] },
  setupFiles: ['<rootDir>/../test/utils/set-timezone.js'],
};
