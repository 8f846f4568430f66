import { AppConfig, loadConfig } from '../../src/config/configuration';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/**
 * Configuration for tests: a dedicated database and Redis db, so a test run never touches a
 * developer's data. TEST_DB_DATABASE / TEST_REDIS_DB let parallel runs on one machine stay apart.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DB_DATABASE: process.env.TEST_DB_DATABASE ?? 'daoke_channel_test',
    REDIS_DB: process.env.TEST_REDIS_DB ?? '15',
    REDIS_KEY_PREFIX: process.env.TEST_REDIS_KEY_PREFIX ?? 'chsvc-test',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    PORT: '0',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(testEnv(overrides));
}
