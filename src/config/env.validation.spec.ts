import { loadConfig } from './configuration';
import { ConfigError, unknownServiceVariables, validateEnvironment } from './env.validation';

describe('validateEnvironment', () => {
  it('should give the documented defaults for an empty environment', () => {
    const env = validateEnvironment({});
    expect(env).toEqual(
      expect.objectContaining({
        PORT: 3000,
        DB_HOST: '127.0.0.1',
        DB_PORT: 3306,
        DB_USERNAME: 'root',
        DB_PASSWORD: '',
        DB_DATABASE: 'daoke_channel',
        REDIS_PORT: 6379,
        REDIS_DB: 0,
        APP_ROLE: 'all',
        TTS_DRIVER: 'espeak',
        TTS_TIMEOUT_MS: 10000,
        INVITE_INTERVAL_SECONDS: 600,
        MAX_CHANNELS_PER_USER: 10,
        CHANNEL_CAPACITY: 1000,
        SIGN_WINDOW_SECONDS: 300,
        APP_RATE_LIMIT_PER_SECOND: 200,
        OUTBOUND_ALLOW_PRIVATE: false,
      }),
    );
    expect(env.ADMIN_TOKEN).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['DB_PORT', '70000'],
    ['DB_DATABASE', 'bad-name;drop'],
    ['APP_ROLE', 'both'],
    ['TTS_DRIVER', 'polly'],
    ['OUTBOUND_ALLOW_PRIVATE', 'maybe'],
    ['ADMIN_TOKEN', 'short'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['MAX_CHANNELS_PER_USER', '0'],
    ['SECRET_ENCRYPTION_KEY', 'abc'],
    ['SECRET_ENCRYPTION_KEYS_OLD', `${'a'.repeat(64)},short`],
    ['REDIS_KEY_PREFIX', 'has space'],
  ])('should stop with a message naming %s=%s', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(ConfigError);
    expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(`\\b${name}=`));
  });

  it('should require the URL and this service credentials with the http driver', () => {
    expect(() => validateEnvironment({ TTS_DRIVER: 'http' })).toThrow(/TTS_HTTP_URL/);
    expect(() =>
      validateEnvironment({ TTS_DRIVER: 'http', TTS_HTTP_URL: 'http://127.0.0.1:9/tts', TTS_APP_KEY: '1234567890' }),
    ).toThrow(/TTS_APP_SECRET: required/);
    const env = validateEnvironment({
      TTS_DRIVER: 'http',
      TTS_HTTP_URL: 'http://127.0.0.1:9/tts',
      TTS_APP_KEY: '1234567890',
      TTS_APP_SECRET: 'S',
    });
    expect(env.TTS_HTTP_URL).toBe('http://127.0.0.1:9/tts');
  });
});

describe('secrets and deployments (API.md 10)', () => {
  it('should refuse a production start without SECRET_ENCRYPTION_KEY, naming it', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/SECRET_ENCRYPTION_KEY: required/);
    expect(loadConfig({ NODE_ENV: 'production', SECRET_ENCRYPTION_KEY: 'B'.repeat(64) }).secrets).toEqual({
      currentKey: 'b'.repeat(64),
      oldKeys: [],
      developmentKey: false,
    });
  });

  it('should fall back to the development key outside production and read the old keys', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      SECRET_ENCRYPTION_KEY: '',
      SECRET_ENCRYPTION_KEYS_OLD: `${'1'.repeat(64)},${'2'.repeat(64)}`,
    });
    expect(config.secrets.developmentKey).toBe(true);
    expect(config.secrets.currentKey).toMatch(/^[0-9a-f]{64}$/);
    expect(config.secrets.oldKeys).toEqual(['1'.repeat(64), '2'.repeat(64)]);
  });

  it('should derive the Redis key prefix from the database unless one is set', () => {
    const prefixOf = (env: Record<string, string>) => loadConfig({ REDIS_KEY_PREFIX: '', ...env }).redis.keyPrefix;
    const a = prefixOf({ DB_DATABASE: 'deployment_a' });
    expect(a).toMatch(/^chsvc:[0-9a-f]{10}$/);
    expect(prefixOf({ DB_DATABASE: 'deployment_b' })).not.toBe(a);
    expect(prefixOf({ DB_DATABASE: 'deployment_a', DB_HOST: 'db2.internal' })).not.toBe(a);
    expect(prefixOf({ DB_DATABASE: 'deployment_a', DB_HOST: 'localhost' })).toBe(a);
    expect(prefixOf({ DB_DATABASE: 'deployment_a', REDIS_KEY_PREFIX: 'mine' })).toBe('mine');
  });
});

describe('loadConfig', () => {
  it('should derive PUBLIC_BASE_URL from PORT and parse lists and roles', () => {
    const config = loadConfig({
      PORT: '4000',
      OUTBOUND_ALLOWED_HOSTS: ' Media.Example.com, ,cdn.example.com',
      APP_ROLE: 'api',
      PUBLIC_BASE_URL: '',
    });
    expect(config.publicBaseUrl).toBe('http://localhost:4000');
    expect(config.outbound.allowedHosts).toEqual(['media.example.com', 'cdn.example.com']);
    expect(config.servesHttp).toBe(true);
    expect(config.runsWorkers).toBe(false);
    expect(loadConfig({ APP_ROLE: 'worker', PUBLIC_BASE_URL: 'https://api.example.com/' }).publicBaseUrl).toBe(
      'https://api.example.com',
    );
  });
});

describe('scale-out configuration (API.md 13)', () => {
  it('should refuse Sentinel and Cluster together, naming both variables', () => {
    expect(() =>
      validateEnvironment({
        REDIS_SENTINELS: '127.0.0.1:26379',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_CLUSTER_NODES: '127.0.0.1:7000',
      }),
    ).toThrow(/REDIS_SENTINELS, REDIS_CLUSTER_NODES: set one of them, not both/);
  });

  it('should refuse a REDIS_DB other than 0 with a cluster, naming both variables', () => {
    expect(() => validateEnvironment({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_DB: '3' })).toThrow(
      /REDIS_DB, REDIS_CLUSTER_NODES/,
    );
    expect(() => validateEnvironment({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_DB: '0' })).not.toThrow();
  });

  it('should require REDIS_SENTINEL_NAME with REDIS_SENTINELS', () => {
    expect(() => validateEnvironment({ REDIS_SENTINELS: '127.0.0.1:26379' })).toThrow(/REDIS_SENTINEL_NAME: required/);
  });

  it.each([
    ['DB_REPLICA_HOSTS', 'replica1'],
    ['DB_REPLICA_HOSTS', '127.0.0.1:99999'],
    ['REDIS_CLUSTER_NODES', '127.0.0.1:7000;127.0.0.1:7001'],
    ['REDIS_SENTINELS', 'sentinel:0'],
    ['DB_REPLICA_TIMEOUT_MS', '10'],
    ['DB_REPLICA_MAX_LAG_SECONDS', '-1'],
  ])('should stop with a message naming %s for %s', (name, value) => {
    const env = name === 'REDIS_SENTINELS' ? { REDIS_SENTINEL_NAME: 'mymaster' } : {};
    expect(() => validateEnvironment({ ...env, [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('should read the topology, the replicas and their limits', () => {
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, 10.0.0.2:7001 ', DB_REPLICA_HOSTS: 'r1:3307' });
    expect(cluster.redis.topology).toEqual({
      mode: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
    });
    expect(cluster.database.replicas).toEqual([{ host: 'r1', port: 3307 }]);
    expect(cluster.database.replicaTimeoutMs).toBe(1000);
    expect(cluster.database.replicaMaxLagSeconds).toBe(10);
    const sentinel = loadConfig({
      REDIS_SENTINELS: 's1:26379',
      REDIS_SENTINEL_NAME: 'm',
      REDIS_SENTINEL_PASSWORD: 'p',
    });
    expect(sentinel.redis.topology).toEqual({
      mode: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'm',
      sentinelPassword: 'p',
    });
  });

  it('should list unknown variables that carry one of the service prefixes, and only those', () => {
    expect(
      unknownServiceVariables({
        REDIS_HOTS: 'x',
        DB_REPLICA_HOST: 'y',
        WEBHOOK_ATTEMPT: '3',
        REDIS_HOST: 'ok',
        DB_REPLICA_HOSTS: 'a:1',
        HOME: '/root',
        NODE_ENV: 'test',
      }),
    ).toEqual(['DB_REPLICA_HOST', 'REDIS_HOTS', 'WEBHOOK_ATTEMPT']);
  });
});

describe('members and webhook configuration', () => {
  it('should default to 10 admins, 8 webhook attempts, a 2000 ms first retry and 30 days of events kept', () => {
    const config = loadConfig({
      MAX_ADMINS_PER_CHANNEL: undefined,
      WEBHOOK_ATTEMPTS: undefined,
      WEBHOOK_BACKOFF_MS: undefined,
      WEBHOOK_RETENTION_DAYS: undefined,
    });
    expect(config.channels.maxAdmins).toBe(10);
    expect(config.webhooks).toEqual({ attempts: 8, backoffMs: 2000, retentionDays: 30 });
  });

  it('should read the values given', () => {
    const config = loadConfig({
      MAX_ADMINS_PER_CHANNEL: '3',
      WEBHOOK_ATTEMPTS: '2',
      WEBHOOK_BACKOFF_MS: '50',
      WEBHOOK_RETENTION_DAYS: '7',
    });
    expect(config.channels.maxAdmins).toBe(3);
    expect(config.webhooks).toEqual({ attempts: 2, backoffMs: 50, retentionDays: 7 });
  });

  it.each([
    ['MAX_ADMINS_PER_CHANNEL', '-1'],
    ['WEBHOOK_ATTEMPTS', '0'],
    ['WEBHOOK_BACKOFF_MS', 'soon'],
    ['WEBHOOK_RETENTION_DAYS', '0'],
  ])('should stop at start on %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}=`));
  });
});
