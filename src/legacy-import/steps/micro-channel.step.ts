import { EntityManager } from 'typeorm';
import { ApplicationStatus } from '../../micro-channel-review/entities/micro-channel-application.entity';
import { EditStatus } from '../../micro-channel-review/entities/micro-channel-edit.entity';
import { ImportContext } from '../import-context';
import { correct, skip, StepTally } from '../import-report';
import {
  cityCodeOf,
  cutToChars,
  fromUnix,
  isAccountId,
  LEGACY_APP_KEY,
  LEGACY_MICRO_NUMBER,
  microStatusOf,
  textProblem,
} from '../legacy-mapping';

/** The content columns the three micro tables share (ORIGINAL-BEHAVIOUR 2.1). */
interface LegacyMicroContent {
  number: string;
  name: string;
  introduction: string;
  chiefAnnouncerIntr: string;
  cityCode: number;
  cityName: string;
  catalogID: number;
  catalogName: string;
  logoURL: string;
  keyWords: string;
  accountID: string;
  createTime: number;
}

interface LegacyApplication extends LegacyMicroContent {
  id: number;
  checkStatus: number;
}

interface LegacyMicroChannel extends LegacyMicroContent {
  idx: string;
  channelStatus: number;
  updateTime: number;
  remark: string;
}

interface LegacyEdit extends LegacyMicroContent {
  id: number;
  channelStatus: number;
  updateTime: number;
}

const CONTENT =
  'number, name, introduction, chiefAnnouncerIntr, cityCode, cityName, catalogID, catalogName, logoURL, keyWords, accountID, createTime';
const CONTENT_COLUMNS =
  'channel_name, introduction, chief_announcer_intr, city_code, city_name, catalog_id, catalog_name, logo_url, key_words';

function contentProblem(ctx: ImportContext, row: LegacyMicroContent): string | null {
  if (!isAccountId(row.accountID)) {
    return 'accountID is not 10 letters and digits';
  }
  if (!LEGACY_MICRO_NUMBER.test(row.number ?? '')) {
    return 'micro channel number is not 1-15 letters and digits';
  }
  if (!ctx.catalogs.has(String(row.catalogID))) {
    return 'unknown catalog';
  }
  if (cityCodeOf(row.cityCode) === null) {
    return 'cityCode is neither 0 nor 6 digits';
  }
  return (
    textProblem('name', row.name, 1, 16) ??
    textProblem('introduction', row.introduction, 0, 128) ??
    textProblem('chiefAnnouncerIntr', row.chiefAnnouncerIntr, 0, 128) ??
    textProblem('logoURL', row.logoURL, 0, 128) ??
    textProblem('keyWords', row.keyWords, 0, 64) ??
    textProblem('cityName', row.cityName, 0, 64) ??
    textProblem('catalogName', row.catalogName, 0, 64)
  );
}

function contentValues(ctx: ImportContext, row: LegacyMicroContent): unknown[] {
  const cityCode = String(row.cityCode);
  return [
    row.name,
    row.introduction ?? '',
    row.chiefAnnouncerIntr ?? '',
    cityCode,
    row.cityName || (cityCode === '0' ? '全国' : ''),
    String(row.catalogID),
    row.catalogName || ctx.catalogs.get(String(row.catalogID)) || '',
    row.logoURL ?? '',
    row.keyWords ?? '',
  ];
}

async function idsPresent(
  ctx: ImportContext,
  m: EntityManager | null,
  table: string,
  ids: number[],
): Promise<Set<number>> {
  if (ids.length === 0) {
    return new Set();
  }
  const rows = await ctx.read<Array<{ id: string }>>(m, `SELECT id FROM ${table} WHERE id IN (?)`, [ids]);
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * applyMicroChannelInfo -> micro_channel_application, pending ones only (checkStatus 0): they keep their id,
 * the applyIdx a reviewer's checkApplyMicroChannel names. Decided applications are history.
 */
export async function importMicroApplications(ctx: ImportContext): Promise<void> {
  await ctx.keyset<LegacyApplication>({
    step: 'microApplications',
    count: async () => (await ctx.legacyRows<{ n: number }>('SELECT COUNT(*) AS n FROM applyMicroChannelInfo'))[0].n,
    fetch: (cursor, limit) =>
      ctx.legacyRows(`SELECT id, checkStatus, ${CONTENT} FROM applyMicroChannelInfo WHERE id > ? ORDER BY id LIMIT ?`, [
        Number(cursor ?? 0),
        limit,
      ]),
    cursorOf: (row) => String(row.id),
    handle: async (rows, m, tally) => {
      const pending: LegacyApplication[] = [];
      for (const row of rows) {
        tally.read++;
        const problem =
          Number(row.checkStatus) !== 0 ? 'application already decided (history only)' : contentProblem(ctx, row);
        if (problem) {
          skip(tally, problem, `id ${row.id}`);
        } else {
          pending.push(row);
        }
      }
      const present = await idsPresent(
        ctx,
        m,
        'micro_channel_application',
        pending.map((r) => r.id),
      );
      const keys = pending.length
        ? new Set(
            (
              await ctx.read<Array<{ k: string }>>(
                m,
                'SELECT pending_number_key AS k FROM micro_channel_application WHERE pending_number_key IN (?)',
                [pending.map((r) => r.number.toLowerCase())],
              )
            ).map((r) => r.k),
          )
        : new Set<string>();
      const values: unknown[][] = [];
      for (const row of pending) {
        const numberKey = row.number.toLowerCase();
        if (present.has(Number(row.id))) {
          tally.present++;
        } else if (keys.has(numberKey)) {
          skip(tally, 'another pending application holds this number', `id ${row.id}`);
        } else {
          keys.add(numberKey);
          const at = fromUnix(row.createTime, new Date());
          values.push([
            row.id,
            row.accountID,
            row.number,
            numberKey,
            ...contentValues(ctx, row),
            ApplicationStatus.Pending,
            LEGACY_APP_KEY,
            at,
            at,
          ]);
          tally.imported++;
        }
      }
      await ctx.ensureAccounts(
        m,
        values.map((v) => v[1] as string),
      );
      if (m && values.length > 0) {
        await m.query(
          `INSERT INTO micro_channel_application (id, account_id, channel_number, pending_number_key, ${CONTENT_COLUMNS}, status, app_key, created_at, updated_at) VALUES ?`,
          [values],
        );
      }
    },
  });
}

/**
 * checkMicroChannelInfo -> micro_channel. The service keeps the approved application every live channel came
 * from; the original's approved rows are not reliably tied to their channel, so each imported channel gets an
 * approved application made from its own content. Voice names are queued by the voice step.
 */
export async function importMicroChannels(ctx: ImportContext): Promise<void> {
  for (const row of await ctx.read<Array<{ id: string; k: string }>>(
    null,
    'SELECT id, number_key AS k FROM micro_channel',
  )) {
    ctx.microChannels.set(row.k, String(row.id));
  }
  await ctx.keyset<LegacyMicroChannel>({
    step: 'microChannels',
    count: async () => (await ctx.legacyRows<{ n: number }>('SELECT COUNT(*) AS n FROM checkMicroChannelInfo'))[0].n,
    fetch: (cursor, limit) =>
      ctx.legacyRows(
        `SELECT idx, channelStatus, updateTime, remark, ${CONTENT} FROM checkMicroChannelInfo WHERE idx > ? ORDER BY idx LIMIT ?`,
        [cursor ?? '', limit],
      ),
    cursorOf: (row) => row.idx,
    handle: (rows, m, tally) => importMicroChannelBatch(ctx, rows, m, tally),
  });
}

async function importMicroChannelBatch(
  ctx: ImportContext,
  rows: LegacyMicroChannel[],
  m: EntityManager | null,
  tally: StepTally,
): Promise<void> {
  const fresh: LegacyMicroChannel[] = [];
  for (const row of rows) {
    tally.read++;
    const status = microStatusOf(row.channelStatus);
    const problem = status === null ? 'channelStatus is not 1, 2 or 3' : contentProblem(ctx, row);
    if (problem) {
      skip(tally, problem, `idx ${row.idx}`);
    } else if (ctx.microChannels.has(row.number.toLowerCase())) {
      tally.present++;
    } else {
      ctx.microChannels.set(row.number.toLowerCase(), `dry:${row.idx}`);
      fresh.push(row);
      tally.imported++;
    }
  }
  await ctx.ensureAccounts(
    m,
    fresh.map((r) => r.accountID),
  );
  if (!m || fresh.length === 0) {
    return;
  }
  // Explicit ids above every pending application's (kept) id; the import holds its lock, the service is frozen.
  const [{ top }] = await m.query<Array<{ top: string | null }>>(
    'SELECT MAX(id) AS top FROM micro_channel_application',
  );
  let nextId = Number(top ?? 0) + 1;
  const applications: unknown[][] = [];
  const channels: unknown[][] = [];
  for (const row of fresh) {
    const at = fromUnix(row.createTime, new Date());
    const updated = fromUnix(row.updateTime, at);
    const content = contentValues(ctx, row);
    const { text: remark, cut } = cutToChars(row.remark ?? '', 64);
    if (cut) {
      correct(tally, 'remark longer than 64 characters: cut to fit the application check remark', `idx ${row.idx}`);
    }
    applications.push([
      nextId,
      row.accountID,
      row.number,
      null,
      ...content,
      ApplicationStatus.Approved,
      LEGACY_APP_KEY,
      at,
      remark,
      at,
      updated,
    ]);
    channels.push([
      row.number,
      row.number.toLowerCase(),
      row.accountID,
      ...content,
      '',
      '',
      microStatusOf(row.channelStatus),
      nextId,
      at,
      updated,
    ]);
    nextId++;
  }
  await m.query(
    `INSERT INTO micro_channel_application (id, account_id, channel_number, pending_number_key, ${CONTENT_COLUMNS}, status, app_key, reviewed_at, check_remark, created_at, updated_at) VALUES ?`,
    [applications],
  );
  await m.query(
    `INSERT INTO micro_channel (channel_number, number_key, account_id, ${CONTENT_COLUMNS}, voice_url, voice_clip_id, status, application_id, created_at, updated_at) VALUES ?`,
    [channels],
  );
  const created = await m.query<Array<{ id: string; k: string; a: string }>>(
    'SELECT id, number_key AS k, application_id AS a FROM micro_channel WHERE number_key IN (?)',
    [fresh.map((r) => r.number.toLowerCase())],
  );
  for (const c of created) {
    ctx.microChannels.set(c.k, String(c.id));
    await m.query('UPDATE micro_channel_application SET channel_id = ? WHERE id = ?', [c.id, c.a]);
  }
}

/**
 * modifyMicroChannelInfo -> micro_channel_edit, the edits still waiting for re-review (channelStatus 2). They
 * keep their id (recheckMicroChannel's applyIdx); the service holds one pending edit per channel, so of
 * several only the newest stays pending.
 */
export async function importMicroEdits(ctx: ImportContext): Promise<void> {
  await ctx.keyset<LegacyEdit>({
    step: 'microEdits',
    count: async () => (await ctx.legacyRows<{ n: number }>('SELECT COUNT(*) AS n FROM modifyMicroChannelInfo'))[0].n,
    fetch: (cursor, limit) =>
      ctx.legacyRows(
        `SELECT id, channelStatus, updateTime, ${CONTENT} FROM modifyMicroChannelInfo WHERE id > ? ORDER BY id LIMIT ?`,
        [Number(cursor ?? 0), limit],
      ),
    cursorOf: (row) => String(row.id),
    handle: async (rows, m, tally) => {
      const pending = rows.filter((r) => Number(r.channelStatus) === 2);
      const newest = new Map<string, number>();
      if (pending.length > 0) {
        for (const r of await ctx.legacyRows<{ number: string; top: number }>(
          'SELECT number, MAX(id) AS top FROM modifyMicroChannelInfo WHERE channelStatus = 2 AND number IN (?) GROUP BY number',
          [[...new Set(pending.map((p) => p.number))]],
        )) {
          newest.set(r.number, Number(r.top));
        }
      }
      const present = await idsPresent(
        ctx,
        m,
        'micro_channel_edit',
        pending.map((r) => r.id),
      );
      const values: unknown[][] = [];
      for (const row of rows) {
        tally.read++;
        const key = `id ${row.id}`;
        const channelId = ctx.microChannels.get(String(row.number).toLowerCase());
        const problem =
          Number(row.channelStatus) !== 2
            ? 'edit already decided (history only)'
            : !channelId
              ? 'micro channel not imported (unknown or skipped)'
              : newest.get(row.number) !== Number(row.id)
                ? 'superseded by a newer pending edit of the same channel'
                : contentProblem(ctx, row);
        if (problem || !channelId) {
          skip(tally, problem ?? 'invalid', key);
        } else if (present.has(Number(row.id))) {
          tally.present++;
        } else {
          const at = fromUnix(row.createTime, new Date());
          values.push([
            row.id,
            channelId,
            channelId,
            row.accountID,
            ...contentValues(ctx, row),
            EditStatus.Pending,
            LEGACY_APP_KEY,
            at,
            fromUnix(row.updateTime, at),
          ]);
          tally.imported++;
        }
      }
      if (m && values.length > 0) {
        await m.query(
          `INSERT INTO micro_channel_edit (id, channel_id, pending_channel_id, account_id, ${CONTENT_COLUMNS}, status, app_key, created_at, updated_at) VALUES ?`,
          [values],
        );
        // The re-review list reads the channel's status from this copy (channel_open): a closed channel's
        // pending edit must stay hidden, as the service's close keeps it.
        await m.query(
          'UPDATE micro_channel_edit e JOIN micro_channel c ON c.id = e.channel_id SET e.channel_open = (c.status = 1) WHERE e.id IN (?)',
          [values.map((v) => v[0])],
        );
      }
    },
  });
}
