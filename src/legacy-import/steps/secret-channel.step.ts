import { EntityManager } from 'typeorm';
import { ChannelStatus } from '../../secret-channel/entities/secret-channel.entity';
import { CHANNEL_NUMBER } from '../../secret-channel/dto/secret-channel.dto';
import { ImportContext } from '../import-context';
import { correct, skip, StepTally } from '../import-report';
import {
  channelIdOf,
  cityCodeOf,
  freshUniqueCode,
  fromUnix,
  isAccountId,
  isUniqueCodeOf,
  LEGACY_APP_KEY,
  SEQUENCE_CHANNEL_NUMBER,
  textProblem,
} from '../legacy-mapping';

interface LegacyChannel {
  id: number;
  number: string;
  name: string;
  introduction: string;
  cityCode: number;
  cityName: string;
  catalogID: number;
  catalogName: string;
  logoURL: string;
  accountID: string;
  inviteUniqueCode: string;
  openType: number;
  capacity: number;
  createTime: number;
  updateTime: number;
  channelStatus: number;
  isVerify: number;
  keyWords: string;
}

const COLUMNS =
  'id, number, name, introduction, cityCode, cityName, catalogID, catalogName, logoURL, accountID, ' +
  'inviteUniqueCode, openType, capacity, createTime, updateTime, channelStatus, isVerify, keyWords';

const INSERT =
  'INSERT INTO secret_channel (id, channel_number, unique_code, owner_account_id, name, live_name, introduction, ' +
  'city_code, city_name, catalog_id, catalog_name, logo_url, keywords, open_type, is_verify, capacity, ' +
  'member_count, status, voice_url, app_key, created_at, updated_at) VALUES ?';

/** Why a legacy channel cannot come over, or null. */
function problemOf(ctx: ImportContext, row: LegacyChannel): string | null {
  // The 9-10 digit numbers and the original's 5-8 digit legacy ones: what partners may send (API.md 15).
  if (!CHANNEL_NUMBER.test(row.number ?? '')) {
    return 'channel number is not 5-10 digits';
  }
  if (!isAccountId(row.accountID)) {
    return 'owner accountID is not 10 letters and digits';
  }
  if (!ctx.catalogs.has(String(row.catalogID))) {
    return 'unknown catalog';
  }
  if (cityCodeOf(row.cityCode) === null) {
    return 'cityCode is neither 0 nor 6 digits';
  }
  if (![1, 2, 3].includes(Number(row.channelStatus))) {
    return 'channelStatus is not 1, 2 or 3';
  }
  return (
    textProblem('name', row.name, 1, 16) ??
    textProblem('introduction', row.introduction, 0, 128) ??
    textProblem('logoURL', row.logoURL, 0, 128) ??
    textProblem('keyWords', row.keyWords, 0, 64) ??
    textProblem('cityName', row.cityName, 0, 64) ??
    textProblem('catalogName', row.catalogName, 0, 64)
  );
}

async function presentNumbers(ctx: ImportContext, m: EntityManager | null, numbers: string[]): Promise<Set<string>> {
  const rows = await ctx.read<Array<{ n: string }>>(
    m,
    'SELECT channel_number AS n FROM secret_channel WHERE channel_number IN (?)',
    [numbers],
  );
  return new Set(rows.map((r) => r.n));
}

/**
 * checkSecretChannelInfo -> secret_channel. A 9-10 digit number keeps its value as the row id, so the
 * service's own sequence (id = number) continues after the largest one; 5-8 digit legacy numbers get ids
 * above it. The invitation code comes over verbatim; member counts are recomputed by a later step.
 */
export async function importSecretChannels(ctx: ImportContext): Promise<void> {
  for (const row of await ctx.read<Array<{ id: string; n: string; owner: string }>>(
    null,
    'SELECT id, channel_number AS n, owner_account_id AS owner FROM secret_channel WHERE channel_number IS NOT NULL',
  )) {
    ctx.channels.set(row.n, { id: String(row.id), owner: row.owner });
  }
  if (!ctx.dryRun) {
    await continueSequenceAfterLegacyNumbers(ctx);
  }
  const freeIds = await idsForShortNumbers(ctx);
  await ctx.keyset<LegacyChannel>({
    step: 'channels',
    count: async () => (await ctx.legacyRows<{ n: number }>('SELECT COUNT(*) AS n FROM checkSecretChannelInfo'))[0].n,
    fetch: (cursor, limit) =>
      ctx.legacyRows(`SELECT ${COLUMNS} FROM checkSecretChannelInfo WHERE id > ? ORDER BY id LIMIT ?`, [
        Number(cursor ?? 0),
        limit,
      ]),
    cursorOf: (row) => String(row.id),
    handle: (rows, m, tally) => importBatch(ctx, rows, m, tally, freeIds),
  });
}

async function importBatch(
  ctx: ImportContext,
  rows: LegacyChannel[],
  m: EntityManager | null,
  tally: StepTally,
  freeIds: string[],
): Promise<void> {
  const valid: LegacyChannel[] = [];
  for (const row of rows) {
    tally.read++;
    const problem = problemOf(ctx, row);
    if (problem) {
      skip(tally, problem, `id ${row.id} number ${row.number}`);
    } else {
      valid.push(row);
    }
  }
  if (valid.length === 0) {
    return;
  }
  const present = await presentNumbers(
    ctx,
    m,
    valid.map((r) => r.number),
  );
  const fresh: LegacyChannel[] = [];
  for (const row of valid) {
    if (present.has(row.number) || (ctx.dryRun && ctx.channels.has(row.number))) {
      tally.present++;
    } else if (fresh.some((f) => f.number === row.number)) {
      skip(tally, 'duplicate channel number in the original', `id ${row.id} number ${row.number}`);
    } else {
      fresh.push(row);
    }
  }
  if (fresh.length === 0) {
    return;
  }
  await ctx.ensureAccounts(
    m,
    fresh.map((r) => r.accountID),
  );
  const liveNames = await takenLiveNames(ctx, m, fresh);
  const codes = await takenCodes(ctx, m, fresh);
  const ids = await takenIds(ctx, m, fresh);
  const now = new Date();
  const values: unknown[][] = [];
  for (const row of fresh) {
    const key = `id ${row.id} number ${row.number}`;
    const status = Number(row.channelStatus) as ChannelStatus;
    let liveName: string | null = status === ChannelStatus.Dissolved ? null : row.name;
    const nameKey = `${row.accountID}\n${row.name}`;
    if (liveName !== null && liveNames.has(nameKey)) {
      correct(tally, 'a second live channel of one name for the owner: imported without the one-name lock', key);
      liveName = null;
    }
    if (liveName !== null) {
      liveNames.add(nameKey);
    }
    let uniqueCode = row.inviteUniqueCode;
    if (!isUniqueCodeOf(uniqueCode, row.number) || codes.has(uniqueCode)) {
      correct(tally, 'invitation code malformed or shared with another channel: a new one was made', key);
      uniqueCode = freshUniqueCode(row.number);
    }
    codes.add(uniqueCode);
    let id = channelIdOf(row.number);
    if (id !== null && ids.has(id)) {
      correct(tally, 'the row id this number maps to is taken in the target: the database assigned one', key);
      id = null;
    } else if (id === null) {
      id = freeIds.shift() ?? null;
    }
    const createdAt = fromUnix(row.createTime, now);
    const cityCode = String(row.cityCode);
    values.push([
      id,
      row.number,
      uniqueCode,
      row.accountID,
      row.name,
      liveName,
      row.introduction ?? '',
      cityCode,
      row.cityName || (cityCode === '0' ? '全国' : ''),
      String(row.catalogID),
      row.catalogName || ctx.catalogs.get(String(row.catalogID)) || '',
      row.logoURL ?? '',
      row.keyWords ?? '',
      Number(row.openType) === 1 ? 1 : 0,
      Number(row.isVerify) === 1 ? 1 : 0,
      Math.max(0, Number(row.capacity) || 0),
      0,
      status,
      '',
      LEGACY_APP_KEY,
      createdAt,
      fromUnix(row.updateTime, createdAt),
    ]);
    tally.imported++;
  }
  if (!m) {
    for (const row of fresh) {
      ctx.channels.set(row.number, { id: channelIdOf(row.number) ?? `dry:${row.number}`, owner: row.accountID });
    }
    return;
  }
  // Rows with and without an id in one INSERT make InnoDB reserve (and lose) an id for every row.
  const withId = values.filter((v) => v[0] !== null);
  const withoutId = values.filter((v) => v[0] === null);
  for (const part of [withId, withoutId]) {
    if (part.length > 0) {
      await m.query(INSERT, [part]);
    }
  }
  for (const row of await ctx.read<Array<{ id: string; n: string; owner: string }>>(
    m,
    'SELECT id, channel_number AS n, owner_account_id AS owner FROM secret_channel WHERE channel_number IN (?)',
    [fresh.map((r) => r.number)],
  )) {
    ctx.channels.set(row.n, { id: String(row.id), owner: row.owner });
  }
}

async function takenLiveNames(
  ctx: ImportContext,
  m: EntityManager | null,
  rows: LegacyChannel[],
): Promise<Set<string>> {
  const found = await ctx.read<Array<{ owner: string; name: string }>>(
    m,
    'SELECT owner_account_id AS owner, live_name AS name FROM secret_channel WHERE live_name IS NOT NULL AND owner_account_id IN (?)',
    [[...new Set(rows.map((r) => r.accountID))]],
  );
  return new Set(found.map((r) => `${r.owner}\n${r.name}`));
}

async function takenCodes(ctx: ImportContext, m: EntityManager | null, rows: LegacyChannel[]): Promise<Set<string>> {
  const found = await ctx.read<Array<{ code: string }>>(
    m,
    'SELECT unique_code AS code FROM secret_channel WHERE unique_code IN (?)',
    [rows.map((r) => r.inviteUniqueCode || '-')],
  );
  return new Set(found.map((r) => r.code));
}

async function takenIds(ctx: ImportContext, m: EntityManager | null, rows: LegacyChannel[]): Promise<Set<string>> {
  const wanted = rows.map((r) => channelIdOf(r.number)).filter((id): id is string => id !== null);
  if (wanted.length === 0) {
    return new Set();
  }
  const found = await ctx.read<Array<{ id: string }>>(m, 'SELECT id FROM secret_channel WHERE id IN (?)', [wanted]);
  return new Set(found.map((r) => String(r.id)));
}

/**
 * Ids for the 5-8 digit legacy numbers: the smallest ids below the largest 9-10 digit number that no legacy
 * number and no target row uses. The sequence is past them, so no new channel is ever numbered with them, and
 * the next applySecretChannel gets the number right after the original's largest.
 */
async function idsForShortNumbers(ctx: ImportContext): Promise<string[]> {
  const [{ k }] = await ctx.legacyRows<{ k: number }>(
    "SELECT COUNT(*) AS k FROM checkSecretChannelInfo WHERE number REGEXP '^[0-9]{5,8}$'",
  );
  if (Number(k) === 0) {
    return [];
  }
  const used = new Set(
    (
      await ctx.legacyRows<{ n: string }>(
        "SELECT CAST(number AS UNSIGNED) AS n FROM checkSecretChannelInfo WHERE number REGEXP '^[0-9]{9,10}$'",
      )
    ).map((r) => Number(r.n)),
  );
  const max = [...used].reduce((a, b) => Math.max(a, b), 0);
  const taken = new Set([...ctx.channels.values()].map((c) => Number(c.id)));
  const free: string[] = [];
  for (let id = 1; id < max && free.length < Number(k); id++) {
    if (!used.has(id) && !taken.has(id)) {
      free.push(String(id));
    }
  }
  return free;
}

/**
 * Moves the AUTO_INCREMENT of secret_channel past the largest 9-10 digit legacy number before any row comes
 * over: the 5-8 digit channels then get ids above every number the legacy rows keep as their id, and the next
 * applySecretChannel continues the original's sequence (API.md 15). InnoDB never lowers it.
 */
async function continueSequenceAfterLegacyNumbers(ctx: ImportContext): Promise<void> {
  const [{ top }] = await ctx.legacyRows<{ top: string | null }>(
    "SELECT MAX(CAST(number AS UNSIGNED)) AS top FROM checkSecretChannelInfo WHERE number REGEXP '^[0-9]{9,10}$'",
  );
  if (top !== null && SEQUENCE_CHANNEL_NUMBER.test(String(top).padStart(9, '0'))) {
    await ctx.target.query(`ALTER TABLE secret_channel AUTO_INCREMENT = ${Number(top) + 1}`);
  }
}
