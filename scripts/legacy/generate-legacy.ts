/**
 * Writes a legacy WEMECustom database at scale, with the original's known defects in the data, to rehearse
 * and time `npm run import-legacy` (docs/migration.md):
 *   npm run legacy:generate -- --database legacy_scale [--channels 100000] [--members 1000000] [--seed 1]
 * The MySQL server is the one DB_HOST / DB_PORT / DB_USERNAME / DB_PASSWORD name; the database is re-created.
 * Defects: userCount that disagrees with the memberships, malformed accountIDs, 5-digit legacy numbers, key
 * rows pointing at channels their account left, unknown catalogs, pending requests in both forms.
 */
import type { Connection } from 'mysql2/promise';
import { createLegacyDatabase } from './legacy-database';

interface Options {
  database: string;
  channels: number;
  members: number;
  seed: number;
}

const T0 = 1_400_000_000;
const CATALOGS = [
  [200001, '交通', 2],
  [200002, '路况', 2],
  [300001, '综合', 0],
  [100101, '音乐', 1],
  [100102, '新闻', 1],
] as const;
const GROUP_CATALOGS = [200001, 200002, 300001];
const MICRO_CATALOGS = [100101, 100102, 300001];
const CITIES = [
  [110000, '北京市'],
  [310000, '上海市'],
  [440100, '广州市'],
  [0, '全国'],
] as const;
const ROWS_PER_INSERT = 5000;

/** mulberry32: the same seed writes the same database. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parse(argv: string[]): Options {
  const options: Options = { database: '', channels: 100_000, members: 1_000_000, seed: 1 };
  const numeric = { '--channels': 'channels', '--members': 'members', '--seed': 'seed' } as const;
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--database') {
      options.database = value;
    } else if (name in numeric) {
      options[numeric[name as keyof typeof numeric]] = Number(value);
    } else {
      throw new Error(`unknown option ${name}`);
    }
  }
  if (!options.database) {
    throw new Error('usage: npm run legacy:generate -- --database <name> [--channels N] [--members N] [--seed N]');
  }
  return options;
}

class Writer {
  private pending: unknown[][] = [];
  written = 0;

  constructor(
    private readonly db: Connection,
    private readonly sql: string,
  ) {}

  async add(row: unknown[]): Promise<void> {
    this.pending.push(row);
    if (this.pending.length >= ROWS_PER_INSERT) {
      await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.pending.length > 0) {
      await this.db.query(this.sql, [this.pending]);
      this.written += this.pending.length;
      this.pending = [];
    }
  }
}

async function generate(db: Connection, o: Options): Promise<Record<string, number>> {
  const rand = prng(o.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const chance = (p: number): boolean => rand() < p;
  const hex32 = (): string => Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const accountCount = Math.max(10, Math.round(o.members / 3));
  const account = (n: number): string => `u${String(n).padStart(9, '0')}`;
  const malformed = (): string => pick(['bad-id!', 'short', 'toolongaccount1', "o'neil1234", '']);
  const counts: Record<string, number> = {};

  await db.query('INSERT INTO channelCatalog (id, name, catalogType, createTime) VALUES ?', [
    CATALOGS.map(([id, name, type]) => [id, name, type, T0]),
  ]);

  const channels = new Writer(
    db,
    'INSERT INTO checkSecretChannelInfo (id, idx, number, name, introduction, cityCode, cityName, catalogID, catalogName, ' +
      'logoURL, accountID, inviteUniqueCode, openType, capacity, createTime, updateTime, channelStatus, isVerify, keyWords, ' +
      'channelNameURL, userCount) VALUES ?',
  );
  const members = new Writer(
    db,
    'INSERT INTO joinMemberList (idx, number, accountID, uniqueCode, createTime, validity, talkStatus, role, actionType) VALUES ?',
  );
  const keys = new Writer(
    db,
    'INSERT IGNORE INTO userKeyInfo (accountID, actionType, customType, customParameter, remark, createTime, validity) VALUES ?',
  );
  const requests = new Writer(
    db,
    'INSERT INTO userVerifyMsgInfo (accountID, idx, number, status, uniqueCode, applyAccountID, applyRemark, createTime, validity) VALUES ?',
  );
  /** One "+" and one "++" key per account at most, as setUserkeyInfo keeps it. */
  const boundPlus = new Set<string>();
  const boundPlusPlus = new Set<string>();
  let shortNumber = 10000;
  let membersLeft = o.members;
  for (let id = 1; id <= o.channels; id++) {
    // About one channel in a hundred is a region channel with a 5-digit number from before the sequence.
    const number = chance(0.01) && shortNumber < 99999 ? String(shortNumber++) : String(id).padStart(9, '0');
    const owner = chance(0.003) ? malformed() : account(Math.floor(rand() * accountCount));
    const status = chance(0.9) ? 1 : chance(0.5) ? 2 : 3;
    const isVerify = chance(0.2) ? 1 : 0;
    const catalog = chance(0.003) ? 999999 : pick(GROUP_CATALOGS);
    const [cityCode, cityName] = pick(CITIES);
    const code = `${number}|${hex32()}`;
    // Sizes vary around the mean; the last channel takes what is left so the total is exactly o.members.
    const mean = membersLeft / (o.channels - id + 1);
    const size =
      id === o.channels ? membersLeft : Math.max(1, Math.min(membersLeft, Math.round(mean * (0.2 + rand() * 1.6))));
    membersLeft -= size;
    const seen = new Set<string>([owner]);
    let real = 0;
    const createTime = T0 + id * 60;
    await members.add([number, number, owner, code, createTime, status === 3 ? 0 : 1, 1, 1, 0]);
    real += status === 3 ? 0 : 1;
    for (let k = 1; k < size; k++) {
      let who = chance(0.01) ? `${malformed()}${k}` : account(Math.floor(rand() * accountCount));
      while (seen.has(who)) {
        who = account(Math.floor(rand() * accountCount));
      }
      seen.add(who);
      const validity = status === 3 ? 0 : chance(0.9) ? 1 : 0;
      const talk = chance(0.85) ? 1 : chance(0.33) ? 2 : chance(0.4) ? 3 : 4;
      let action = 0;
      if (validity === 1 && talk !== 4 && who.length === 10 && chance(0.05)) {
        const set = chance(0.5) ? boundPlus : boundPlusPlus;
        if (!set.has(who)) {
          set.add(who);
          action = set === boundPlus ? 8 : 16;
          await keys.add([who, action === 8 ? 4 : 5, 10, number, number, createTime + k, 1]);
        }
      } else if (validity === 0 && who.length === 10 && chance(0.05)) {
        // The original cleared the member row's bit when the account left but kept its key row: stale.
        await keys.add([who, chance(0.5) ? 4 : 5, 10, number, number, createTime + k, 1]);
      }
      await members.add([number, number, who, code, createTime + k, validity, talk, chance(0.02) ? 2 : 0, action]);
      if (validity === 1 && talk !== 4 && /^[A-Za-z0-9]{10}$/.test(who)) {
        real++;
      }
      if (isVerify === 1 && status === 1 && chance(0.02)) {
        const applicant = account(Math.floor(rand() * accountCount));
        await requests.add([owner, number, number, chance(0.7) ? 0 : 1, code, applicant, '想加入', createTime + k, 1]);
      }
    }
    // The original incremented userCount without a guard and forgot to decrement it on some paths.
    const userCount = chance(0.1) ? Math.max(0, real + Math.floor(rand() * 7) - 3) : real;
    await channels.add([
      id,
      number,
      number,
      `频道${id}`,
      `第${id}个群聊频道`,
      cityCode,
      cityName,
      catalog,
      '交通',
      '',
      owner,
      code,
      chance(0.5) ? 1 : 0,
      1000,
      createTime,
      0,
      status,
      isVerify,
      '路况,分享',
      `http://192.168.1.207/dfsapi/v2/${id}.amr`,
      userCount,
    ]);
  }
  for (const w of [channels, members, keys, requests]) {
    await w.flush();
  }
  Object.assign(counts, {
    checkSecretChannelInfo: channels.written,
    joinMemberList: members.written,
    userKeyInfo: keys.written,
    userVerifyMsgInfo: requests.written,
  });

  const micro = Math.max(10, Math.round(o.channels / 100));
  const contentCols =
    'name, introduction, chiefAnnouncerIntr, cityCode, cityName, catalogID, catalogName, logoURL, keyWords';
  const content = (name: string): unknown[] => [
    name,
    '电台介绍',
    '主播介绍五个字',
    110000,
    '北京市',
    pick(MICRO_CATALOGS),
    '音乐',
    '',
    '音乐',
  ];
  const apps = new Writer(
    db,
    `INSERT INTO applyMicroChannelInfo (number, ${contentCols}, accountID, createTime, checkStatus) VALUES ?`,
  );
  const live = new Writer(
    db,
    `INSERT INTO checkMicroChannelInfo (idx, number, ${contentCols}, accountID, inviteUniqueCode, createTime, channelStatus) VALUES ?`,
  );
  const edits = new Writer(
    db,
    `INSERT INTO modifyMicroChannelInfo (idx, number, ${contentCols}, accountID, createTime, channelStatus) VALUES ?`,
  );
  for (let i = 1; i <= micro; i++) {
    const number = `FM${String(i).padStart(8, '0')}`;
    const owner = account(Math.floor(rand() * accountCount));
    const idx = String(o.channels + i).padStart(9, '0');
    await apps.add([number, ...content(`电台${i}`), owner, T0 + i, 2]);
    await live.add([
      idx,
      number,
      ...content(`电台${i}`),
      owner,
      `${number}|${hex32()}`,
      T0 + i,
      chance(0.9) ? 1 : chance(0.5) ? 2 : 3,
    ]);
    if (chance(0.3)) {
      await edits.add([idx, number, ...content(`新电台${i}`), owner, T0 + i + 10, chance(0.7) ? 2 : 3]);
    }
    if (chance(0.5)) {
      await apps.add([`AP${String(i).padStart(8, '0')}`, ...content(`申请${i}`), owner, T0 + i, chance(0.6) ? 0 : 1]);
    }
  }
  for (const w of [apps, live, edits]) {
    await w.flush();
  }
  Object.assign(counts, {
    applyMicroChannelInfo: apps.written,
    checkMicroChannelInfo: live.written,
    modifyMicroChannelInfo: edits.written,
  });
  return counts;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const server = {
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 3306),
    user: process.env.DB_USERNAME ?? 'root',
    password: process.env.DB_PASSWORD ?? '',
  };
  const started = Date.now();
  const db = await createLegacyDatabase(server, o.database);
  try {
    const counts = await generate(db, o);
    process.stdout.write(
      `${JSON.stringify({ database: o.database, ...counts, seconds: (Date.now() - started) / 1000 })}\n`,
    );
  } finally {
    await db.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
