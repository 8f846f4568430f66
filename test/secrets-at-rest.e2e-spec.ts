import Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reencryptAppSecrets } from '../src/access/reencrypt-secrets';
import { keyIdOf, SecretCipher } from '../src/common/crypto/secret-cipher';
import { computeSign } from '../src/common/signature/sign';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import { eventually, FakeHttpServer } from './utils/fake-http-server';
import { Fixtures, TestAccount, TestPartnerApp } from './utils/fixtures';
import { PartnerClient } from './utils/partner-client';
import { applyParams, GROUP_CATALOG } from './utils/secret-channel-world';

const KEY_1 = '1f'.repeat(32);
const KEY_2 = 'c3'.repeat(32);
const AMR = readFileSync(join(__dirname, 'fixtures', 'nihao.amr'));

/**
 * API.md 10, "at rest": a realistic session (apps made and brought over, a rotation, tokens issued, brought
 * over and revoked, partner calls that run speech, Weibo and callback jobs, a key change with
 * reencrypt-secrets), then every table of the database, every Redis key of the service (every type, Bull
 * job payloads included), every invalidation message and every log line is searched for the plaintext
 * secrets and tokens used. Positive controls prove each source was read.
 */
describe('no plaintext secret or token at rest (API.md 10)', () => {
  const published: string[] = [];
  const secrets: string[] = [];
  const tokens: string[] = [];
  let t: TestApp;
  let t2: TestApp | undefined;
  let weibo: FakeHttpServer;
  let media: FakeHttpServer;
  let partner: FakeHttpServer;
  let spy: Redis;

  beforeAll(async () => {
    weibo = await FakeHttpServer.start(() => ({
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ERRORCODE: '0', RESULT: { bizid: 'biz-1' } }),
    }));
    media = await FakeHttpServer.start(() => ({ headers: { 'Content-Type': 'audio/amr' }, body: AMR }));
    partner = await FakeHttpServer.start(() => ({ status: 200, body: 'ok' }));
    t = await createTestApp(outsideWorld({ SECRET_ENCRYPTION_KEY: KEY_1 }));
    await resetState(t);
    spy = new Redis({ host: t.config.redis.host, port: t.config.redis.port, db: t.config.redis.db, lazyConnect: true });
    await spy.connect();
    spy.on('pmessage', (_pattern: string, channel: string, message: string) => published.push(`${channel} ${message}`));
    // The service's own channels, and Bull's under its hash-tagged prefix.
    await spy.psubscribe(`${t.config.redis.keyPrefix}:*`, `{${t.config.redis.keyPrefix}:bull}:*`);
  });

  afterAll(async () => {
    spy.disconnect();
    await t2?.close();
    await t.close();
    await Promise.all([weibo.close(), media.close(), partner.close()]);
  });

  function outsideWorld(extra: Record<string, string>): Record<string, string> {
    return {
      LOG_LEVEL: 'debug',
      WEIBO_API_URL: weibo.baseUrl,
      WEIBO_APP_KEY: '5555555555',
      WEIBO_APP_SECRET: 'AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12',
      OUTBOUND_ALLOW_PRIVATE: 'false',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      ...extra,
    };
  }

  async function account(fixtures: Fixtures, app: TestPartnerApp, roles: string[] = []): Promise<TestAccount> {
    const who = await fixtures.account(app, { roles });
    tokens.push(who.accessToken);
    return who;
  }

  it('should keep every secret and token out of MySQL, Redis, job payloads, invalidations and logs', async () => {
    const client = new PartnerClient(t.baseUrl);
    const fixtures = new Fixtures(client);
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await client.admin(method, path, body);
      expect(res.status).toBeLessThan(300);
      return res.body;
    };
    const call = (app: TestPartnerApp, who: TestAccount, route: string, params: Record<string, string>) =>
      client.post(
        route,
        { appKey: app.appKey, accountID: who.accountID, accessToken: who.accessToken, ...params },
        { secret: app.secret },
      );

    // Apps: one made here, one brought over with its own (lowercase) secret.
    const app = await fixtures.app();
    const legacySecret = 'e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3';
    const legacy = { appKey: '987654321', secret: legacySecret };
    await admin('POST', '/admin/apps', { name: 'legacy', ...legacy });
    secrets.push(app.secret, legacySecret);
    await fixtures.catalog(GROUP_CATALOG, 2, '交通');

    // Accounts and tokens, one brought over.
    const owner = await account(fixtures, app);
    const member = await account(fixtures, app);
    const sender = await account(fixtures, app);
    const broughtToken = 'BroughtOverToken0123456789abcdef';
    await admin('POST', '/admin/tokens', {
      appKey: legacy.appKey,
      accountID: member.accountID,
      accessToken: broughtToken,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    tokens.push(broughtToken);
    const legacyMember = { accountID: member.accountID, accessToken: broughtToken };

    // Partner calls: a channel (speech job), a join, reads; the brought-over credentials sign too.
    const applied = await call(app, owner, 'applySecretChannel', applyParams());
    expect(applied.body.ERRORCODE).toBe('0');
    const { channelNumber, uniqueCode } = applied.body.RESULT as { channelNumber: string; uniqueCode: string };
    expect((await call(app, member, 'joinSecretChannel', { uniqueCode })).body.ERRORCODE).toBe('0');
    expect((await call(legacy, legacyMember, 'getSecretChannelInfo', { channelNumber })).body.ERRORCODE).toBe('0');
    expect(
      (await client.post('getSecretChannelInfo', { appKey: app.appKey, sign: 'A'.repeat(40) })).body.ERRORCODE,
    ).toBe('ME01019');
    await eventually(
      () => t.dataSource.query<Array<{ voice_url: string }>>('SELECT voice_url FROM secret_channel'),
      (rows) => rows.every((r) => r.voice_url !== ''),
    );

    // An invitation: a Weibo post job, then an acceptance and a partner callback job signed with the secret.
    await admin('PUT', `/admin/presence/${sender.accountID}`, { online: true, tempChannelID: '12349' });
    await admin('PUT', `/admin/presence/${member.accountID}`, { online: true });
    await admin('PUT', '/admin/temp-channels/12349', { live: true });
    const invited = await client.post(
      'inviteUserJoin',
      {
        appKey: app.appKey,
        accountID: sender.accountID,
        tempChannelID: '12349',
        multimediaURL: `${media.baseUrl}/voice.amr`,
        callbackURL: `${partner.baseUrl}/callback`,
      },
      { secret: app.secret, multipart: true },
    );
    expect(invited.body.ERRORCODE).toBe('0');
    const { items } = await eventually(
      () => admin('GET', '/admin/invitations') as Promise<{ items: Array<{ invitationID: string; delivery: any }> }>,
      (r) => r.items.length > 0 && r.items.every((i) => i.delivery.state !== 'queued'),
    );
    const accepted = await call(app, member, 'acceptInvitation', { invitationID: items[0].invitationID });
    expect(accepted.body.ERRORCODE).toBe('0');
    const [callback] = await partner.waitFor(1);
    const { sign, ...fields } = callback.form;
    expect(sign).toBe(computeSign(fields, app.secret));

    // Rotation with grace: both secrets sign for now; a token revoked.
    const rotated = await admin('POST', `/admin/apps/${app.appKey}/rotate-secret`, { graceSeconds: 3600 });
    secrets.push(rotated.secret);
    expect((await call(app, owner, 'getSecretChannelInfo', { channelNumber })).body.ERRORCODE).toBe('0');
    const current = { appKey: app.appKey, secret: rotated.secret };
    expect((await call(current, owner, 'getSecretChannelInfo', { channelNumber })).body.ERRORCODE).toBe('0');
    await admin('POST', '/admin/tokens/revoke', { accessToken: member.accessToken });
    expect((await call(current, member, 'getSecretChannelInfo', { channelNumber })).body.ERRORCODE).toBe('ME01003');

    // Key change: rewrite under KEY_2, then an instance that knows only KEY_2 serves every credential.
    const [{ n: underKey1 }] = await t.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM partner_app WHERE secret_ciphertext LIKE ?',
      [`v1.${keyIdOf(KEY_1)}.%`],
    );
    expect(Number(underKey1)).toBe(2);
    const report = await reencryptAppSecrets(t.dataSource, new SecretCipher(KEY_2, [KEY_1]));
    expect(report).toEqual({ apps: 2, rewritten: 3, alreadyCurrent: 0, failed: [] });
    await expect(reencryptAppSecrets(t.dataSource, new SecretCipher(KEY_2))).resolves.toEqual({
      apps: 2,
      rewritten: 0,
      alreadyCurrent: 3,
      failed: [],
    });
    t2 = await createTestApp(outsideWorld({ SECRET_ENCRYPTION_KEY: KEY_2 }));
    const client2 = new PartnerClient(t2.baseUrl);
    const on2 = (a: TestPartnerApp, who: TestAccount) =>
      client2.post(
        'getSecretChannelInfo',
        { appKey: a.appKey, accountID: who.accountID, accessToken: who.accessToken, channelNumber },
        { secret: a.secret },
      );
    expect((await on2(current, owner)).body.ERRORCODE).toBe('0');
    expect((await on2(app, owner)).body.ERRORCODE).toBe('0');
    expect((await on2(legacy, legacyMember)).body.ERRORCODE).toBe('0');

    // Now search every place the service writes to.
    const mysql = await dumpDatabase(t);
    const reader = spy.duplicate();
    const redis = await dumpRedis(reader, t.config.redis.keyPrefix).finally(() => reader.disconnect());
    // Every service log line of this file so far, at debug level (test/utils/log-capture-environment.js).
    const logs = ((globalThis as { __capturedLogs?: string[] }).__capturedLogs ?? []).join('');
    const invalidations = published.join('\n');
    // Positive controls: each source holds what it should, so an empty search means something.
    expect(mysql).toContain(app.appKey);
    expect(mysql).toContain(owner.accountID);
    expect(redis.keys).toBeGreaterThan(5);
    expect(redis.text).toContain('SYNTHESIZE_SPEECH');
    expect(redis.text).toContain('路况分享');
    expect(redis.text).toContain(`rate:${app.appKey}:`);
    expect(logs).toContain(`"appKey":"${app.appKey}"`);
    expect(invalidations).toContain('"topic":"access-token"');

    const needles = [...secrets, ...tokens].flatMap((s) => [
      s,
      s.toLowerCase(),
      s.toUpperCase(),
      Buffer.from(s).toString('base64'),
    ]);
    // 3 secrets (made, brought over, rotated) and 4 tokens (3 issued, 1 brought over).
    expect(new Set([...secrets, ...tokens]).size).toBe(7);
    for (const [where, haystack] of Object.entries({ mysql, redis: redis.text, logs, invalidations })) {
      const found = needles.filter((n) => haystack.includes(n));
      expect({ where, found }).toEqual({ where, found: [] });
    }
  });
});

/** Every row of every table of the test database, binary columns as latin1 text. */
async function dumpDatabase(t: TestApp): Promise<string> {
  const tables = await t.dataSource.query<Array<{ name: string }>>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
  );
  expect(tables.map((r) => r.name)).toEqual(expect.arrayContaining(['partner_app', 'access_token', 'audit_log']));
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await t.dataSource.query<Array<Record<string, unknown>>>(`SELECT * FROM \`${name}\``);
    for (const row of rows) {
      parts.push(
        name,
        ...Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('latin1') : JSON.stringify(v))),
      );
    }
  }
  return parts.join('\n');
}

/**
 * Every key of the service's prefix in its Redis db, whatever its type, with its whole value: `<prefix>:*`,
 * and Bull's `{<prefix>:bull}:*` (one Redis Cluster hash tag, docs/scaling.md).
 */
async function dumpRedis(redis: Redis, prefix: string): Promise<{ keys: number; text: string }> {
  const parts: string[] = [];
  let keys = 0;
  for (const pattern of [`${prefix}:*`, `{${prefix}:bull}:*`]) {
    const dumped = await dumpPattern(redis, pattern);
    keys += dumped.keys;
    parts.push(dumped.text);
  }
  return { keys, text: parts.join('\n') };
}

async function dumpPattern(redis: Redis, pattern: string): Promise<{ keys: number; text: string }> {
  const parts: string[] = [];
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of batch) {
      keys++;
      const type = await redis.type(key);
      parts.push(`${type} ${key}`);
      if (type === 'string') {
        parts.push((await redis.getBuffer(key))?.toString('latin1') ?? '');
      } else if (type === 'hash') {
        parts.push(JSON.stringify(await redis.hgetall(key)));
      } else if (type === 'list') {
        parts.push(...(await redis.lrange(key, 0, -1)));
      } else if (type === 'set') {
        parts.push(...(await redis.smembers(key)));
      } else if (type === 'zset') {
        parts.push(...(await redis.zrange(key, 0, -1, 'WITHSCORES')));
      } else if (type === 'stream') {
        parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      } else {
        throw new Error(`unexpected Redis type ${type} of ${key}`);
      }
    }
  } while (cursor !== '0');
  return { keys, text: parts.join('\n') };
}
