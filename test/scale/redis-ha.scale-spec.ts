import { CacheInvalidationService } from '../../src/common/cache/cache-invalidation.service';
import { TtlCache } from '../../src/common/cache/ttl-cache';
import { RedisConnectionFactory } from '../../src/common/redis/redis-connection.factory';
import { secretCipherFrom } from '../../src/common/crypto/secret-cipher';
import { ConsoleSessionService } from '../../src/console/console-session.service';
import { prepareDatabase } from '../../src/database/prepare-database';
import { testConfig } from '../utils/test-config';
import { applyParams, SecretWorld } from '../utils/secret-channel-world';
import { report, waitFor } from '../utils/child-process';
import { RedisClusterFixture, RedisSentinelFixture } from './support/redis-servers';

const CLUSTER_PORTS = [17620, 17621, 17622];
const SENTINEL_PORTS = { master: 17630, replica: 17631, sentinel: 17632 };
/** REDIS_HOST/REDIS_PORT point nowhere: with Sentinel or Cluster set they must not be used (API.md 13). */
const UNUSED_STANDALONE = { REDIS_HOST: '127.0.0.1', REDIS_PORT: '1', REDIS_DB: '0' };
const DB_A = process.env.TEST_DB_DATABASE ?? 'daoke_channel_test';
const DB_B = `${DB_A}_b`;

/**
 * What the service keeps in Redis, exercised through partner and admin requests: the app cache and the
 * per-app rate counter (every signed request), a nonce (replay protection), presence (a MULTI over four
 * keys), a console session (a MULTI over two keys), and a speech-synthesis job on Bull (each applied channel gets its spoken name from the queue).
 */
async function exerciseRedis(w: SecretWorld): Promise<string> {
  const strictApp = await w.fixtures.app(true);
  const reader = await w.fixtures.account(strictApp);
  const signedOnce = {
    appKey: strictApp.appKey,
    accountID: reader.accountID,
    accessToken: reader.accessToken,
    infoType: '1',
    timestamp: String(Math.floor(Date.now() / 1000)),
    nonce: `ha-${Date.now()}`,
  };
  const first = await w.client.post('fetchSecretChannel', signedOnce, { secret: strictApp.secret });
  expect(first.body.ERRORCODE).toBe('0');
  const replay = await w.client.post('fetchSecretChannel', signedOnce, { secret: strictApp.secret });
  expect(replay.body).toEqual({ ERRORCODE: 'ME01026', RESULT: 'nonce is replayed!' });

  const presence = await w.client.admin('PUT', `/admin/presence/${reader.accountID}`, { online: true });
  expect(presence.status).toBe(200);
  expect(presence.body).toEqual(expect.objectContaining({ online: true }));

  // A console session: its key and the account's session set are written in one MULTI.
  const reviewer = await w.account(['reviewer']);
  const password = 'correct horse battery 9';
  const setPassword = await w.client.admin('PUT', `/admin/accounts/${reviewer.accountID}/console-password`, {
    password,
  });
  expect(setPassword.status).toBe(200);
  const sessions = w.t.app.get(ConsoleSessionService);
  const signedIn = await sessions.signIn(reviewer.accountID, password);
  expect(signedIn.ok).toBe(true);
  const token = signedIn.ok ? signedIn.token : '';
  expect(await sessions.resume(token)).toEqual(expect.objectContaining({ accountId: reviewer.accountID }));
  await sessions.end(token);
  expect(await sessions.resume(token)).toBeNull();

  const owner = await w.account();
  const { channelNumber } = await w.apply(owner, applyParams({ channelName: `高可用${Date.now() % 100000}` }));
  await waitFor(
    'the speech job wrote the spoken name',
    async () => (await w.channelRow(channelNumber)).voice_url !== '',
  );

  const ready = await w.client.raw<{ status: string; checks: Record<string, { status: string }> }>('/health/ready', {
    method: 'GET',
  });
  expect(ready.status).toBe(200);
  expect(ready.body.checks['queue:speech-synthesis'].status).toBe('up');
  return channelNumber;
}

/** Two instances of one deployment hear each other's invalidations; another deployment hears none of them. */
async function expectInvalidationAcross(from: SecretWorld, to: SecretWorld, other?: SecretWorld): Promise<void> {
  const sender = from.t.app.get(CacheInvalidationService);
  const receiver = to.t.app.get(CacheInvalidationService);
  await waitFor('both subscriptions are live', () => sender.isLive() && receiver.isLive());
  const cache = new TtlCache<string>();
  receiver.register('scale-ha', cache);
  cache.set('k', 'stale', 60000);
  const otherCache = new TtlCache<string>();
  if (other) {
    other.t.app.get(CacheInvalidationService).register('scale-ha', otherCache);
    otherCache.set('k', 'theirs', 60000);
  }
  const sent = Date.now();
  await sender.invalidate('scale-ha', 'k');
  await waitFor('the other instance dropped the entry', () => cache.get('k') === undefined, 1000);
  expect(Date.now() - sent).toBeLessThan(1000);
  report('invalidation seen by the other instance after (ms)', Date.now() - sent);
  if (other) {
    expect(otherCache.get('k')).toBe('theirs');
  }
}

describe('Redis Cluster (scale)', () => {
  let cluster: RedisClusterFixture;
  let a1: SecretWorld;
  let a2: SecretWorld;
  let b: SecretWorld;

  beforeAll(async () => {
    cluster = await RedisClusterFixture.start(CLUSTER_PORTS);
    // No REDIS_KEY_PREFIX: the default one, derived from the database, keeps the deployments apart.
    const env = { ...UNUSED_STANDALONE, REDIS_CLUSTER_NODES: cluster.nodesSetting, REDIS_KEY_PREFIX: '' };
    const configB = testConfig({ DB_DATABASE: DB_B });
    await prepareDatabase(configB.database, undefined, secretCipherFrom(configB.secrets));
    a1 = await SecretWorld.start(env);
    a2 = await SecretWorld.start(env);
    b = await SecretWorld.start({ ...env, DB_DATABASE: DB_B });
    await a1.reset();
    await b.reset();
  }, 120000);

  afterAll(async () => {
    await Promise.all([a1?.close(), a2?.close(), b?.close()]);
    await cluster?.stop();
  });

  it('should run partner requests, nonces, counters, presence and a queue job on a three-master cluster', async () => {
    await exerciseRedis(a1);
    const prefix = a1.t.config.redis.keyPrefix;
    expect(prefix).not.toBe(b.t.config.redis.keyPrefix);
    const serviceKeys = await cluster.keys(`${prefix}:*`);
    // The keys spread over the masters (they hash differently); the prefix is that of this deployment's database.
    expect(new Set(serviceKeys.map((k) => k.port)).size).toBeGreaterThan(1);
    expect(serviceKeys.some((k) => k.key.startsWith(`${prefix}:nonce:`))).toBe(true);
    expect(serviceKeys.some((k) => k.key.startsWith(`${prefix}:{presence}:online`))).toBe(true);
    // Every key of the Bull queues is under one hash tag, so Bull's multi-key scripts stay in one slot.
    const bullKeys = await cluster.keys(`{${prefix}:bull}:*`);
    expect(bullKeys.some((k) => k.key.includes(':speech-synthesis:'))).toBe(true);
    expect(new Set(bullKeys.map((k) => k.port)).size).toBe(1);
    expect(new RedisConnectionFactory(a1.t.config.redis).bullPrefix).toBe(`{${prefix}:bull}`);
  });

  it('should invalidate caches across instances within 1 s through the cluster, and only in the same deployment', async () => {
    await expectInvalidationAcross(a1, a2, b);
    await expectInvalidationAcross(a2, a1);
  });

  it('should keep a second deployment on another database apart: its own keys, its own jobs', async () => {
    const channelOfB = await exerciseRedis(b);
    expect((await b.channelRow(channelOfB)).voice_url).not.toBe('');
    const [prefixA, prefixB] = [a1.t.config.redis.keyPrefix, b.t.config.redis.keyPrefix];
    expect((await cluster.keys(`{${prefixB}:bull}:speech-synthesis:*`)).length).toBeGreaterThan(0);
    // Job ids are voice-<kind>-<id> (speech-synthesis.job.ts). Each deployment's jobs live under its own prefix, so only its own workers take them (both number
    // channels from 1, so a job taken by the wrong deployment would write into the wrong database).
    const jobsOfA = await cluster.keys(`{${prefixA}:bull}:speech-synthesis:voice-*`);
    const jobsOfB = await cluster.keys(`{${prefixB}:bull}:speech-synthesis:voice-*`);
    expect(jobsOfA.length).toBeGreaterThan(0);
    expect(jobsOfB.length).toBeGreaterThan(0);
    expect(jobsOfA.every((k) => !k.key.includes(prefixB))).toBe(true);
  });
});

describe('Redis Sentinel (scale)', () => {
  let redis: RedisSentinelFixture;
  let w: SecretWorld;

  beforeAll(async () => {
    redis = await RedisSentinelFixture.start(SENTINEL_PORTS.master, SENTINEL_PORTS.replica, SENTINEL_PORTS.sentinel);
    w = await SecretWorld.start({
      ...UNUSED_STANDALONE,
      REDIS_SENTINELS: redis.sentinel.address,
      REDIS_SENTINEL_NAME: RedisSentinelFixture.MASTER_NAME,
    });
    await w.reset();
  }, 120000);

  afterAll(async () => {
    await w?.close();
    await redis?.stop();
  });

  it('should find the master only through the sentinel and run partner requests and a queue job there', async () => {
    await exerciseRedis(w);
    const onMaster = (await redis.master.command('DBSIZE')) as number;
    expect(onMaster).toBeGreaterThan(0);
  });

  it('should follow a failover to the promoted replica', async () => {
    await redis.sentinel.command('SENTINEL', 'FAILOVER', RedisSentinelFixture.MASTER_NAME);
    await waitFor(
      'the replica is the master',
      async () => (await redis.masterPort()) === SENTINEL_PORTS.replica,
      20000,
    );
    const started = Date.now();
    await waitFor(
      'partner requests answer again',
      async () => (await w.call('fetchSecretChannel', await w.account(), { infoType: '1' })).body.ERRORCODE === '0',
      15000,
    );
    const recoveredMs = Date.now() - started;
    expect(recoveredMs).toBeLessThan(15000);
    report('partner requests answering again after the Sentinel failover (ms)', recoveredMs);
    await exerciseRedis(w);
    expect(String(await redis.replica.command('INFO', 'replication'))).toContain('role:master');
  });
});
