import Redis from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LegacyImportOptions } from '../src/legacy-import/import-context';
import { formatReport, ImportReport, StepTally } from '../src/legacy-import/import-report';
import { importLegacy } from '../src/legacy-import/legacy-import.runner';
import { createLegacyDatabase, dropLegacyDatabase, MysqlServer, mysqlUrl } from '../scripts/legacy/legacy-database';
import { createTestApp, resetState, TestApp } from './utils/create-test-app';
import {
  ACCT,
  APP,
  CHANNEL,
  clearLegacyRedis,
  MICRO,
  TOKEN,
  writeLegacyFixture,
  writeLegacyRedis,
} from './fixtures/legacy-fixture';
import { Envelope, HttpAnswer, PartnerClient } from './utils/partner-client';
import { testConfig, testEnv } from './utils/test-config';

/** legacy_<suffix of the test database>_fixture: beside the test database, never one of another run. */
const LEGACY_DB = `legacy${testEnv().DB_DATABASE.replace(/^daoke_channel_test/, '')}_fixture`;

describe('legacy import (npm run import-legacy)', () => {
  let t: TestApp;
  let legacy: Connection;
  let legacyRedis: Redis;
  let server: MysqlServer;
  let client: PartnerClient;
  let dryReport: ImportReport;
  let report: ImportReport;

  function options(overrides: Partial<LegacyImportOptions> = {}): LegacyImportOptions {
    return {
      source: mysqlUrl(server, LEGACY_DB),
      redisSource: `redis://${t.config.redis.host}:${t.config.redis.port}/${t.config.redis.db}`,
      dryRun: false,
      batchSize: 3,
      voice: true,
      progress: false,
      ...overrides,
    };
  }

  const run = (overrides: Partial<LegacyImportOptions> = {}): Promise<ImportReport> =>
    importLegacy(testConfig({ APP_ROLE: 'api' }), options(overrides));

  function tally(r: ImportReport, step: string): StepTally {
    const found = r.steps.find((s) => s.step === step);
    if (!found) {
      throw new Error(`no step ${step} in the report`);
    }
    return found.tally;
  }

  /** Signed with the migrated app's own secret and the driver's existing token, as a device in the field does. */
  function call(
    route: string,
    accountID: string,
    accessToken: string,
    params: Record<string, string>,
  ): Promise<HttpAnswer<Envelope>> {
    return client.post(
      route,
      { appKey: APP.partner.appKey, accountID, accessToken, ...params },
      { secret: APP.partner.secret },
    );
  }

  beforeAll(async () => {
    t = await createTestApp();
    client = new PartnerClient(t.baseUrl);
    const db = t.config.database;
    server = { host: db.host, port: db.port, user: db.username, password: db.password };
    legacy = await createLegacyDatabase(server, LEGACY_DB);
    await writeLegacyFixture(legacy);
    legacyRedis = new Redis({ host: t.config.redis.host, port: t.config.redis.port, db: t.config.redis.db });
    await resetState(t);
    await writeLegacyRedis(legacyRedis);
  });

  afterAll(async () => {
    await clearLegacyRedis(legacyRedis);
    legacyRedis.disconnect();
    await legacy.end();
    await dropLegacyDatabase(server, LEGACY_DB);
    await t.close();
  });

  it('should write nothing on --dry-run and still report what a run would do', async () => {
    dryReport = await run({ dryRun: true });
    expect(dryReport.dryRun).toBe(true);
    expect(dryReport.changed).toBe(true);
    expect(tally(dryReport, 'channels')).toMatchObject({ read: 6, imported: 4 });
    const [{ n }] = await t.dataSource.query<Array<{ n: string }>>(
      'SELECT (SELECT COUNT(*) FROM secret_channel) + (SELECT COUNT(*) FROM account) + (SELECT COUNT(*) FROM partner_app) + ' +
        '(SELECT COUNT(*) FROM catalog) + (SELECT COUNT(*) FROM legacy_import_checkpoint) AS n',
    );
    expect(Number(n)).toBe(0);
  });

  it('should import every case of the fixture and report the skips with their reasons', async () => {
    report = await run();
    expect(report).toMatchObject({ dryRun: false, resumed: false, changed: true, nextChannelNumber: '000001201' });
    expect(tally(report, 'catalogs')).toMatchObject({
      read: 4,
      imported: 3,
      skipped: { 'catalog id is not 6-11 digits': 1 },
    });
    expect(tally(report, 'channels')).toMatchObject({
      read: 6,
      imported: 4,
      skipped: { 'unknown catalog': 1, 'owner accountID is not 10 letters and digits': 1 },
    });
    expect(tally(report, 'members')).toMatchObject({
      read: 14,
      imported: 12,
      skipped: { 'accountID is not 10 letters and digits': 1, 'channel not imported (unknown or skipped)': 1 },
    });
    expect(tally(report, 'joinRequests')).toMatchObject({ read: 3, imported: 1 });
    expect(Object.keys(tally(report, 'joinRequests').skipped)).toHaveLength(2);
    const keys = tally(report, 'keyBindings');
    expect(keys).toMatchObject({ read: 5, imported: 2 });
    expect(keys.skipped['stale: no valid membership of the account has this key bit set for that channel']).toBe(2);
    expect(keys.examples['stale: no valid membership of the account has this key bit set for that channel']).toEqual([
      `${ACCT.muted}/4`,
      `${ACCT.quitter}/5`,
    ]);
    const counts = tally(report, 'countCheck');
    expect(counts.corrected).toEqual({ 'userCount disagrees with the memberships: recomputed': 1 });
    expect(counts.examples['userCount disagrees with the memberships: recomputed']).toEqual(['000000377: 99 -> 5']);
    expect(tally(report, 'apps')).toMatchObject({ read: 3, imported: 2, skipped: { 'appKey is not 1-10 digits': 1 } });
    expect(tally(report, 'apps').notes.join('\n')).toContain(APP.trusted.appKey);
    expect(tally(report, 'tokens')).toMatchObject({ read: 7, imported: 5 });
    expect(tally(report, 'tokens').skipped).toMatchObject({ expired: 1, 'accountID is not 10 letters and digits': 1 });
    expect(tally(report, 'microApplications')).toMatchObject({ read: 2, imported: 1 });
    expect(tally(report, 'microChannels')).toMatchObject({ read: 1, imported: 1 });
    expect(tally(report, 'microEdits')).toMatchObject({
      read: 3,
      imported: 1,
      skipped: {
        'superseded by a newer pending edit of the same channel': 1,
        'edit already decided (history only)': 1,
      },
    });
    expect(tally(report, 'voiceGroup')).toMatchObject({ imported: 3 });
    expect(tally(report, 'voiceMicro')).toMatchObject({ imported: 1 });
    // The dry run announced the same rows.
    for (const step of [
      'catalogs',
      'channels',
      'members',
      'keyBindings',
      'countCheck',
      'microChannels',
      'apps',
      'tokens',
    ]) {
      expect({ step, ...tally(dryReport, step), notes: [] }).toEqual({ step, ...tally(report, step), notes: [] });
    }
    expect(formatReport(report)).toContain('the target database was changed as above');
  });

  it('should let a migrated driver sign with the existing appKey, secret and token and see their channels', async () => {
    const info = await call('getSecretChannelInfo', ACCT.member, TOKEN.member, { channelNumber: CHANNEL.main.number });
    expect(info.body).toMatchObject({
      ERRORCODE: '0',
      RESULT: {
        channelNumber: CHANNEL.main.number,
        channelName: '路况分享',
        uniqueCode: CHANNEL.main.code,
        isVerify: '1',
        memberCount: '5',
        ownerAccountID: ACCT.owner,
        role: 'member',
        memberStatus: '1',
        bindKey: '4',
      },
    });
    const legacyNumber = await call('getSecretChannelInfo', ACCT.member, TOKEN.member, {
      channelNumber: CHANNEL.legacy.number,
    });
    expect(legacyNumber.body.RESULT).toMatchObject({
      channelNumber: '10086',
      uniqueCode: CHANNEL.legacy.code,
      memberCount: '2',
      bindKey: '5',
    });
    const owner = await call('getSecretChannelInfo', ACCT.owner, TOKEN.owner, { channelNumber: CHANNEL.main.number });
    expect(owner.body.RESULT).toMatchObject({ role: 'owner', memberStatus: '1', bindKey: '' });
    const admin = await call('getSecretChannelInfo', ACCT.admin, TOKEN.admin, { channelNumber: CHANNEL.main.number });
    expect(admin.body.RESULT).toMatchObject({ role: 'admin', memberStatus: '1', isJoined: '1' });
    // Closed by the company in the original: closed here too, memberships kept (checked below).
    const closed = await call('getSecretChannelInfo', ACCT.admin, TOKEN.admin, {
      channelNumber: CHANNEL.closed.number,
    });
    expect(closed.body.ERRORCODE).toBe('ME18109');
    const quit = await call('quitSecretChannel', ACCT.member, TOKEN.member, { channelNumber: CHANNEL.main.number });
    expect(quit.body).toEqual({ ERRORCODE: 'ME18311', RESULT: 'current channel is binded' });
  });

  it('should keep statuses, roles, pending requests and closed channels as the original had them', async () => {
    const rows = await t.dataSource.query<Array<{ a: string; role: string; status: number; active: number }>>(
      'SELECT m.account_id AS a, m.role, m.status, m.active FROM secret_channel_member m JOIN secret_channel c ON c.id = m.channel_id ' +
        'WHERE c.channel_number = ? ORDER BY m.account_id',
      [CHANNEL.main.number],
    );
    expect(rows.map((r) => [r.a, r.role, Number(r.status), Number(r.active)])).toEqual(
      [
        [ACCT.admin, 'admin', 1, 1],
        [ACCT.black, 'member', 3, 1],
        [ACCT.member, 'member', 1, 1],
        [ACCT.muted, 'member', 2, 1],
        [ACCT.owner, 'owner', 1, 1],
        [ACCT.pendingRow, 'member', 4, 1],
        [ACCT.pendingRequest, 'member', 4, 1],
        [ACCT.quitter, 'member', 1, 0],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    const closed = await t.dataSource.query<Array<{ status: number; members: string }>>(
      'SELECT c.status, (SELECT COUNT(*) FROM secret_channel_member m WHERE m.channel_id = c.id AND m.active = 1) AS members ' +
        'FROM secret_channel c WHERE c.channel_number = ?',
      [CHANNEL.closed.number],
    );
    expect(closed.map((c) => [Number(c.status), Number(c.members)])).toEqual([[2, 2]]);
    const dissolved = await t.dataSource.query<Array<{ status: number; live: string | null }>>(
      'SELECT status, live_name AS live FROM secret_channel WHERE channel_number = ?',
      [CHANNEL.dissolved.number],
    );
    expect(dissolved).toEqual([{ status: 3, live: null }]);
  });

  it('should accept 5-digit codes, refuse expired tokens and continue the number sequence', async () => {
    const join = await call('joinSecretChannel', ACCT.quitter, TOKEN.quitter, { uniqueCode: CHANNEL.legacy.code });
    expect(join.body).toEqual({ ERRORCODE: '0', RESULT: { channelNumber: '10086', isVerify: '0' } });
    const expired = await call('getSecretChannelInfo', ACCT.muted, TOKEN.expired, {
      channelNumber: CHANNEL.main.number,
    });
    expect(expired.body.ERRORCODE).toBe('ME01003');
    const applied = await call('applySecretChannel', ACCT.newcomer, TOKEN.newcomer, {
      channelName: '新频道',
      channelIntroduction: '迁移后的第一个频道',
      channelCityCode: '110000',
      channelCatalogID: '200001',
      openType: '1',
    });
    expect(applied.body.RESULT).toMatchObject({ channelNumber: '000001201' });
  });

  it('should bring micro channels over with their pending edit and queue their spoken names', async () => {
    const info = await call('getMicroChannelInfo', ACCT.member, TOKEN.member, { channelNumber: MICRO.live.number });
    expect(info.body).toMatchObject({
      ERRORCODE: '0',
      RESULT: {
        channelNumber: MICRO.live.number,
        channelName: '音乐电台',
        pendingEdit: { applyIdx: String(MICRO.newestEdit.id), channelName: MICRO.newestEdit.name },
      },
    });
    const pending = await t.dataSource.query<Array<{ id: string; status: number }>>(
      'SELECT id, status FROM micro_channel_application WHERE pending_number_key = ?',
      [MICRO.pendingApplication.number.toLowerCase()],
    );
    expect(pending).toEqual([{ id: String(MICRO.pendingApplication.id), status: 0 }]);
    // The test app runs the speech worker: the queued names come back as URLs on both kinds of channel.
    const deadline = Date.now() + 25_000;
    let voices: Array<{ url: string }> = [];
    while (Date.now() < deadline) {
      voices = await t.dataSource.query(
        'SELECT voice_url AS url FROM secret_channel WHERE channel_number = ? UNION ALL SELECT voice_url FROM micro_channel WHERE number_key = ?',
        [CHANNEL.legacy.number, MICRO.live.number.toLowerCase()],
      );
      if (voices.every((v) => v.url !== '')) {
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(voices.map((v) => v.url)).toEqual([
      expect.stringMatching(/\/media\/voice\/[0-9a-f]{32}\.amr$/),
      expect.stringMatching(/\/media\/voice\/[0-9a-f]{32}\.amr$/),
    ]);
  }, 40_000);

  it('should change nothing on a second run and say so', async () => {
    const again = await run();
    for (const step of again.steps.filter((s) => s.step !== 'countCheck')) {
      expect({ step: step.step, imported: step.tally.imported }).toEqual({ step: step.step, imported: 0 });
    }
    expect(again.changed).toBe(false);
    expect(tally(again, 'channels')).toMatchObject({ read: 6, present: 4 });
    expect(tally(again, 'members').present).toBe(12);
    expect(formatReport(again)).toContain('nothing to do');
  });

  it('should resume an interrupted run from its checkpoint and end with the same rows', async () => {
    await resetState(t);
    await writeLegacyRedis(legacyRedis);
    let batches = 0;
    await expect(
      run({
        voice: false,
        afterBatch: (step) => {
          if (step === 'members' && ++batches === 2) {
            throw new Error('simulated crash');
          }
        },
      }),
    ).rejects.toThrow('simulated crash');
    const [{ n }] = await t.dataSource.query<Array<{ n: string }>>('SELECT COUNT(*) AS n FROM secret_channel_member');
    expect(Number(n)).toBe(6);
    const resumed = await run({ voice: false });
    expect(resumed.resumed).toBe(true);
    for (const step of ['channels', 'members', 'joinRequests', 'keyBindings', 'accounts', 'tokens']) {
      expect({ step, imported: tally(resumed, step).imported }).toEqual({
        step,
        imported: tally(report, step).imported,
      });
    }
    const [{ left }] = await t.dataSource.query<Array<{ left: string }>>(
      'SELECT COUNT(*) AS `left` FROM legacy_import_checkpoint',
    );
    expect(Number(left)).toBe(0);
  });

  it('should refuse a second import into the same database while one runs', async () => {
    let release: () => void = () => undefined;
    let paused: () => void = () => undefined;
    const isPaused = new Promise<void>((resolve) => (paused = resolve));
    const first = run({
      dryRun: false,
      voice: false,
      afterBatch: (step, batch) =>
        step === 'catalogs' && batch === 1
          ? new Promise<void>((resolve) => {
              release = resolve;
              paused();
            })
          : undefined,
    });
    await isPaused;
    await expect(run({ voice: false })).rejects.toThrow('another legacy import is running against this database');
    release();
    await expect(first).resolves.toMatchObject({ changed: false });
  });

  it('should run from the command line', () => {
    const env = { ...process.env, ...testEnv() };
    const cli = (args: string[]) =>
      spawnSync(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', join(__dirname, '../scripts/import-legacy.ts'), ...args],
        {
          env,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
    const dry = cli(['--source', options().source, '--dry-run', '--no-voice']);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('DRY RUN');
    expect(dry.stdout).toMatch(/group channels \(checkSecretChannelInfo\)\s+6\s+0\s+4\s+2\s/);
  }, 60_000);
});
