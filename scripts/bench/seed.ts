/**
 * Bulk seed of the benchmark database: multi-row INSERTs of a few thousand rows each, inside one
 * transaction per batch, with unique and foreign-key checks off for the session (the rows are
 * generated consistent). Idempotent: a table that already holds its scale is skipped, so a second
 * `npm run bench` starts measuring at once. Runs the migrations first, like the service.
 *
 *   npx ts-node scripts/bench/seed.ts          # BENCH_DB_DATABASE (default daoke_channel_bench)
 */
import { Connection, createConnection } from 'mysql2/promise';
import { hashToken } from '../../src/access/access-token.service';
import { appSecretContext } from '../../src/access/app-secret-context';
import { SecretCipher, secretCipherFrom } from '../../src/common/crypto/secret-cipher';
import { DatabaseConfig, loadConfig } from '../../src/config/configuration';
import { prepareDatabase } from '../../src/database/prepare-database';
import {
  accountId,
  BENCH_APP_KEY,
  BENCH_APP_SECRET,
  BenchScale,
  channelNumber,
  cityOf,
  FULL_SCALE,
  GROUP_CATALOG_ID,
  isPublic,
  JOINERS,
  joinerId,
  memberOf,
  MICRO_CATALOG_ID,
  microNumber,
  ownerOf,
  REVIEWERS,
  reviewerId,
  tokenOf,
  uniqueCode,
} from './world';

const BATCH = 5000;
type Row = Array<string | number | Date | null>;

export function benchDatabase(): DatabaseConfig {
  return {
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 3306),
    username: process.env.DB_USERNAME ?? 'root',
    password: process.env.DB_PASSWORD ?? '',
    database: process.env.BENCH_DB_DATABASE ?? 'daoke_channel_bench',
    poolSize: 2,
    // The seed writes to the primary only.
    replicas: [],
    replicaTimeoutMs: 1000,
    replicaMaxLagSeconds: 10,
  };
}

async function count(c: Connection, sql: string): Promise<number> {
  const [rows] = await c.query(sql);
  return Number((rows as Array<{ n: number | string }>)[0].n);
}

/** Inserts rows produced by `row(i)` for i in [from, to], BATCH rows per statement. */
async function bulk(c: Connection, head: string, from: number, to: number, row: (i: number) => Row): Promise<void> {
  for (let start = from; start <= to; start += BATCH) {
    const end = Math.min(to, start + BATCH - 1);
    const values: Row[] = [];
    for (let i = start; i <= end; i++) {
      values.push(row(i));
    }
    await c.beginTransaction();
    await c.query(`${head} VALUES ?`, [values]);
    await c.commit();
  }
}

async function seedAccounts(c: Connection, scale: BenchScale, log: (m: string) => void): Promise<boolean> {
  const people: Array<[string, string]> = [];
  for (let n = 0; n < scale.accounts; n++) {
    people.push([accountId(n), '']);
  }
  for (let n = 0; n < REVIEWERS; n++) {
    people.push([reviewerId(n), 'reviewer']);
  }
  for (let n = 0; n < JOINERS; n++) {
    people.push([joinerId(n), '']);
  }
  if ((await count(c, 'SELECT COUNT(*) AS n FROM account')) >= people.length) {
    return false;
  }
  log(`seeding ${people.length} accounts and their tokens`);
  const expires = new Date(Date.now() + 10 * 365 * 86400_000);
  await bulk(c, 'INSERT IGNORE INTO account (account_id, nickname, roles)', 0, people.length - 1, (i) => [
    people[i][0],
    '',
    people[i][1],
  ]);
  await bulk(
    c,
    'INSERT IGNORE INTO access_token (token_hash, app_key, account_id, expires_at)',
    0,
    people.length - 1,
    (i) => [hashToken(tokenOf(people[i][0])), BENCH_APP_KEY, people[i][0], expires],
  );
  return true;
}

async function seedGroupChannels(c: Connection, scale: BenchScale, log: (m: string) => void): Promise<boolean> {
  let seeded = false;
  if ((await count(c, 'SELECT COUNT(*) AS n FROM secret_channel')) < scale.channels) {
    log(`seeding ${scale.channels} group channels`);
    seeded = true;
    await bulk(
      c,
      `INSERT IGNORE INTO secret_channel (id, channel_number, unique_code, owner_account_id, name, live_name, introduction,
        city_code, city_name, catalog_id, catalog_name, open_type, is_verify, capacity, member_count, status, app_key)`,
      1,
      scale.channels,
      (i) => {
        const [cityCode, cityName] = cityOf(i);
        const name = `压测频道${i}`;
        return [
          i,
          channelNumber(i),
          uniqueCode(i),
          accountId(ownerOf(scale, i)),
          name,
          name,
          '基准测试用的群聊频道',
          cityCode,
          cityName,
          GROUP_CATALOG_ID,
          '交通',
          isPublic(i) ? 1 : 0,
          0,
          1000,
          scale.membersPerChannel,
          1,
          BENCH_APP_KEY,
        ];
      },
    );
  }
  const memberships = scale.channels * scale.membersPerChannel;
  if ((await count(c, 'SELECT COUNT(*) AS n FROM secret_channel_member')) < memberships) {
    log(`seeding ${memberships} memberships`);
    seeded = true;
    const joined = new Date();
    await bulk(
      c,
      'INSERT IGNORE INTO secret_channel_member (id, channel_id, account_id, role, status, active, joined_at)',
      0,
      memberships - 1,
      (r) => {
        const i = Math.floor(r / scale.membersPerChannel) + 1;
        const k = r % scale.membersPerChannel;
        const account = k === 0 ? accountId(ownerOf(scale, i)) : accountId(memberOf(scale, i, k - 1));
        return [r + 1, i, account, k === 0 ? 'owner' : 'member', 1, 1, joined];
      },
    );
  }
  return seeded;
}

async function seedMicroEdits(c: Connection, scale: BenchScale, log: (m: string) => void): Promise<boolean> {
  if ((await count(c, 'SELECT COUNT(*) AS n FROM micro_channel_edit WHERE status = 0')) >= scale.microEdits) {
    return false;
  }
  log(`seeding ${scale.microEdits} micro channels, each with one edit waiting for review`);
  const content = (j: number, edited: boolean): Row => {
    const [cityCode, cityName] = cityOf(j);
    return [
      edited ? `新微频道${j}` : `微频道${j}`,
      '基准测试用的微频道',
      '主播介绍文字',
      cityCode,
      cityName,
      MICRO_CATALOG_ID,
      '音乐',
      '',
      '',
    ];
  };
  const columns =
    'channel_name, introduction, chief_announcer_intr, city_code, city_name, catalog_id, catalog_name, logo_url, key_words';
  await bulk(
    c,
    `INSERT IGNORE INTO micro_channel_application (id, account_id, channel_number, status, app_key, channel_id, ${columns})`,
    1,
    scale.microEdits,
    (j) => [j, accountId(j - 1), microNumber(j), 2, BENCH_APP_KEY, j, ...content(j, false)],
  );
  await bulk(
    c,
    `INSERT IGNORE INTO micro_channel (id, channel_number, number_key, account_id, voice_url, voice_clip_id, status,
      application_id, ${columns})`,
    1,
    scale.microEdits,
    (j) => [j, microNumber(j), microNumber(j), accountId(j - 1), '', '', 1, j, ...content(j, false)],
  );
  await bulk(
    c,
    `INSERT IGNORE INTO micro_channel_edit (id, channel_id, pending_channel_id, account_id, status, app_key, ${columns})`,
    1,
    scale.microEdits,
    (j) => [j, j, j, accountId(j - 1), 0, BENCH_APP_KEY, ...content(j, true)],
  );
  return true;
}

/**
 * The cipher the bench service will use: the same environment (SECRET_ENCRYPTION_KEY, or the development
 * key when it is unset), so the seeded app's secret decrypts in the service.
 */
export function benchCipher(): SecretCipher {
  return secretCipherFrom(loadConfig().secrets);
}

/** Migrates and seeds the bench database at `scale`; returns the seconds it took (0 when already seeded). */
export async function seedBenchDatabase(
  db: DatabaseConfig,
  scale: BenchScale = FULL_SCALE,
  log: (m: string) => void = () => undefined,
): Promise<number> {
  const started = Date.now();
  const cipher = benchCipher();
  await prepareDatabase(db, log, cipher);
  const c = await createConnection({
    host: db.host,
    port: db.port,
    user: db.username,
    password: db.password,
    database: db.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
  });
  try {
    await c.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
    await c.query(
      `INSERT IGNORE INTO partner_app (app_key, name, secret_ciphertext, require_timestamp, enabled)
       VALUES (?, 'bench', ?, 0, 1)`,
      [BENCH_APP_KEY, cipher.encrypt(BENCH_APP_SECRET, appSecretContext(BENCH_APP_KEY))],
    );
    await c.query(`INSERT IGNORE INTO catalog (catalog_id, name, catalog_type) VALUES (?, '交通', 2), (?, '音乐', 1)`, [
      GROUP_CATALOG_ID,
      MICRO_CATALOG_ID,
    ]);
    const seeded = [
      await seedAccounts(c, scale, log),
      await seedGroupChannels(c, scale, log),
      await seedMicroEdits(c, scale, log),
    ].some(Boolean);
    if (!seeded) {
      return 0;
    }
    // Fresh statistics, so the plans at this scale are the ones production would get.
    await c.query(
      'ANALYZE TABLE account, access_token, secret_channel, secret_channel_member, micro_channel, micro_channel_edit',
    );
    return (Date.now() - started) / 1000;
  } finally {
    await c.end();
  }
}

if (require.main === module) {
  seedBenchDatabase(benchDatabase(), FULL_SCALE, (m) => process.stdout.write(`${m}\n`))
    .then((seconds) => process.stdout.write(seconds ? `seeded in ${seconds.toFixed(1)} s\n` : 'already seeded\n'))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
