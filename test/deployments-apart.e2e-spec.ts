import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { createConnection } from 'mysql2/promise';
import { secretCipherFrom } from '../src/common/crypto/secret-cipher';
import { defaultRedisKeyPrefix } from '../src/config/configuration';
import { prepareDatabase } from '../src/database/prepare-database';
import { SPEECH_SYNTHESIS_QUEUE } from '../src/jobs/queues';
import { createTestApp, TestApp } from './utils/create-test-app';
import { eventually } from './utils/fake-http-server';
import { Fixtures } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { applyParams, GROUP_CATALOG } from './utils/secret-channel-world';
import { testConfig } from './utils/test-config';

/**
 * API.md 10, "deployments apart": two deployments on different databases share one Redis and leave
 * REDIS_KEY_PREFIX unset. A speech job of A must never be taken by B's worker (which would write a voice
 * URL into B's database), and neither sees the other's keys.
 */
describe('two deployments sharing one Redis (API.md 10)', () => {
  const base = testConfig();
  const dbA = `${base.database.database}_dep_a`;
  const dbB = `${base.database.database}_dep_b`;
  // REDIS_KEY_PREFIX '' means unset: the default, derived from the database, applies.
  const env = (database: string, extra: Record<string, string>) => ({
    DB_DATABASE: database,
    REDIS_KEY_PREFIX: '',
    ...extra,
  });
  const opened: TestApp[] = [];

  async function dropDatabases(): Promise<void> {
    const c = await createConnection({
      host: base.database.host,
      port: base.database.port,
      user: base.database.username,
      password: base.database.password,
    });
    await c.query(`DROP DATABASE IF EXISTS \`${dbA}\``);
    await c.query(`DROP DATABASE IF EXISTS \`${dbB}\``);
    await c.end();
  }

  async function start(database: string, extra: Record<string, string>): Promise<TestApp> {
    const t = await createTestApp(env(database, extra));
    opened.push(t);
    return t;
  }

  beforeAll(async () => {
    await dropDatabases();
    const cipher = secretCipherFrom(base.secrets);
    for (const database of [dbA, dbB]) {
      await prepareDatabase({ ...base.database, database }, undefined, cipher);
    }
  });
  afterAll(async () => {
    for (const t of opened.splice(0)) {
      await t.close().catch(() => undefined);
    }
    await dropDatabases();
  });

  async function channelOf(t: TestApp, name: string): Promise<{ channelNumber: string }> {
    const client = new PartnerClient(t.baseUrl);
    const fixtures = new Fixtures(client);
    const app = await fixtures.app();
    await fixtures.catalog(GROUP_CATALOG, 2, '交通');
    const owner = await fixtures.account(app);
    const res = await client.post(
      'applySecretChannel',
      {
        appKey: app.appKey,
        accountID: owner.accountID,
        accessToken: owner.accessToken,
        ...applyParams({ channelName: name }),
      },
      { secret: app.secret },
    );
    expect(res.body.ERRORCODE).toBe('0');
    return res.body.RESULT as { channelNumber: string };
  }

  const voiceUrl = async (t: TestApp, channelNumber: string) =>
    (
      await t.dataSource.query<Array<{ voice_url: string }>>(
        'SELECT voice_url FROM secret_channel WHERE channel_number = ?',
        [channelNumber],
      )
    )[0].voice_url;

  it('should run a speech job of A only on A and write A’s voice URL into A’s database only', async () => {
    // B runs workers; A at first only serves HTTP, so nothing of A's can be done unless B steals it.
    const b = await start(dbB, { APP_ROLE: 'all', PUBLIC_BASE_URL: 'http://deployment-b.example' });
    const a = await start(dbA, { APP_ROLE: 'api', PUBLIC_BASE_URL: 'http://deployment-a.example' });
    expect(a.config.redis.keyPrefix).toBe(defaultRedisKeyPrefix({ ...base.database, database: dbA }));
    expect(b.config.redis.keyPrefix).toBe(defaultRedisKeyPrefix({ ...base.database, database: dbB }));
    expect(a.config.redis.keyPrefix).not.toBe(b.config.redis.keyPrefix);

    const inB = await channelOf(b, '贝塔频道');
    await eventually(
      () => voiceUrl(b, inB.channelNumber),
      (url) => url !== '',
    );
    const bVoiceBefore = await voiceUrl(b, inB.channelNumber);
    expect(bVoiceBefore).toMatch(/^http:\/\/deployment-b\.example\/media\/voice\//);

    // Same channel number in both databases: a stolen job would overwrite B's row.
    const inA = await channelOf(a, '阿尔法频道');
    expect(inA.channelNumber).toBe(inB.channelNumber);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const queueA = a.app.get<Queue>(getQueueToken(SPEECH_SYNTHESIS_QUEUE), { strict: false });
    expect((await queueA.getJobCounts()).waiting).toBe(1);
    expect(await voiceUrl(b, inB.channelNumber)).toBe(bVoiceBefore);
    const clipsB = await b.dataSource.query<Array<{ n: string }>>('SELECT COUNT(*) AS n FROM voice_clip');
    expect(Number(clipsB[0].n)).toBe(1);
    expect(await voiceUrl(a, inA.channelNumber)).toBe('');

    // Neither deployment holds a key under the other's prefix. Bull's keys sit under `{<prefix>:bull}`, one
    // Redis Cluster hash tag (docs/scaling.md); the rest under `<prefix>:`.
    const ownedBy = (prefix: string) => (k: string) => k.startsWith(`${prefix}:`) || k.startsWith(`{${prefix}:bull}:`);
    const keysOf = async (t: TestApp, prefix: string) => [
      ...(await t.redis.client.keys(`${prefix}:*`)),
      ...(await t.redis.client.keys(`{${prefix}:bull}:*`)),
    ];
    expect((await keysOf(a, b.config.redis.keyPrefix)).length).toBeGreaterThan(0);
    const aKeys = await keysOf(a, a.config.redis.keyPrefix);
    expect(aKeys.some((k) => k.includes('speech-synthesis'))).toBe(true);
    expect(aKeys.every(ownedBy(a.config.redis.keyPrefix))).toBe(true);

    // A worker of A (another instance of deployment A) takes A's job and writes A's URL, in A's database.
    const aWorker = await start(dbA, { APP_ROLE: 'all', PUBLIC_BASE_URL: 'http://deployment-a.example' });
    const aVoice = await eventually(
      () => voiceUrl(aWorker, inA.channelNumber),
      (url) => url !== '',
    );
    expect(aVoice).toMatch(/^http:\/\/deployment-a\.example\/media\/voice\//);
    expect(await voiceUrl(b, inB.channelNumber)).toBe(bVoiceBefore);
  });
});
