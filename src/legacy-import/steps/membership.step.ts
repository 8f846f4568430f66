import { EntityManager } from 'typeorm';
import { MemberStatus } from '../../secret-channel/entities/secret-channel-member.entity';
import { ImportContext } from '../import-context';
import { correct, skip, StepTally } from '../import-report';
import { cutToChars, fromUnix, isAccountId, memberRoleOf, memberStatusOf } from '../legacy-mapping';

interface LegacyMember {
  id: number;
  number: string;
  accountID: string;
  createTime: number;
  updateTime: number;
  validity: number;
  talkStatus: number;
  role: number;
}

interface LegacyJoinRequest {
  id: number;
  number: string;
  applyAccountID: string;
  applyRemark: string;
  status: number;
  validity: number;
  createTime: number;
}

const INSERT =
  'INSERT INTO secret_channel_member (channel_id, account_id, role, status, active, remark, joined_at, created_at, updated_at) VALUES ?';

interface TargetMember {
  channelId: string;
  accountId: string;
  active: number;
  status: number;
}

/** The target memberships of (channel, account) pairs, keyed `channelId\naccountId`. */
async function existingMembers(
  ctx: ImportContext,
  m: EntityManager | null,
  pairs: Array<[string, string]>,
): Promise<Map<string, TargetMember>> {
  const real = pairs.filter(([channelId]) => !channelId.startsWith('dry:'));
  if (real.length === 0) {
    return new Map();
  }
  // By channel (the unique key's prefix) and filtered here: row-constructor IN lists are not always ranged.
  const wanted = new Set(real.map(([c, a]) => `${c}\n${a}`));
  const rows = (
    await ctx.read<TargetMember[]>(
      m,
      'SELECT channel_id AS channelId, account_id AS accountId, active, status FROM secret_channel_member ' +
        'WHERE channel_id IN (?)',
      [[...new Set(real.map(([c]) => c))]],
    )
  ).filter((r) => wanted.has(`${r.channelId}\n${r.accountId}`));
  return new Map(rows.map((r) => [`${r.channelId}\n${r.accountId}`, r]));
}

/** joinMemberList -> secret_channel_member: validity -> active, talkStatus -> status, role 0/1/2 -> member/owner/admin. */
export async function importMemberships(ctx: ImportContext): Promise<void> {
  await ctx.keyset<LegacyMember>({
    step: 'members',
    count: async () => (await ctx.legacyRows<{ n: number }>('SELECT COUNT(*) AS n FROM joinMemberList'))[0].n,
    fetch: (cursor, limit) =>
      ctx.legacyRows(
        'SELECT id, number, accountID, createTime, updateTime, validity, talkStatus, role FROM joinMemberList ' +
          'WHERE id > ? ORDER BY id LIMIT ?',
        [Number(cursor ?? 0), limit],
      ),
    cursorOf: (row) => String(row.id),
    handle: (rows, m, tally) => importMemberBatch(ctx, rows, m, tally),
  });
}

async function importMemberBatch(
  ctx: ImportContext,
  rows: LegacyMember[],
  m: EntityManager | null,
  tally: StepTally,
): Promise<void> {
  const candidates: Array<{ row: LegacyMember; channelId: string; owner: string; status: MemberStatus }> = [];
  const seen = new Set<string>();
  for (const row of rows) {
    tally.read++;
    const key = `id ${row.id}`;
    const channel = ctx.channels.get(row.number);
    const active = Number(row.validity) === 1;
    const status = memberStatusOf(row.talkStatus, active);
    if (!isAccountId(row.accountID)) {
      skip(tally, 'accountID is not 10 letters and digits', key);
    } else if (!channel) {
      skip(tally, 'channel not imported (unknown or skipped)', key);
    } else if (status === null) {
      skip(tally, 'talkStatus is not 1-4', key);
    } else if (seen.has(`${channel.id}\n${row.accountID}`)) {
      skip(tally, 'second row of the same member in the same channel', key);
    } else {
      seen.add(`${channel.id}\n${row.accountID}`);
      candidates.push({ row, channelId: channel.id, owner: channel.owner, status });
    }
  }
  const existing = await existingMembers(
    ctx,
    m,
    candidates.map((c) => [c.channelId, c.row.accountID]),
  );
  const values: unknown[][] = [];
  const now = new Date();
  for (const c of candidates) {
    if (existing.has(`${c.channelId}\n${c.row.accountID}`)) {
      tally.present++;
      continue;
    }
    const key = `id ${c.row.id}`;
    const role = memberRoleOf(c.row.role, c.row.accountID, c.owner);
    if (Number(c.row.role) === 1 && role !== 'owner') {
      correct(tally, 'role 1 (creator) on a member who does not own the channel: imported as member', key);
    }
    if (Number(c.row.talkStatus) === Number(MemberStatus.Pending) && Number(c.row.validity) !== 1) {
      correct(tally, 'pending request on a quit row: imported as a former member', key);
    }
    const joinedAt = fromUnix(c.row.createTime, now);
    values.push([
      c.channelId,
      c.row.accountID,
      role,
      c.status,
      Number(c.row.validity) === 1 ? 1 : 0,
      '',
      joinedAt,
      joinedAt,
      fromUnix(c.row.updateTime, joinedAt),
    ]);
    tally.imported++;
  }
  if (values.length === 0) {
    return;
  }
  await ctx.ensureAccounts(
    m,
    values.map((v) => v[1] as string),
  );
  if (m) {
    await m.query(INSERT, [values]);
  }
}

/**
 * userVerifyMsgInfo -> pending memberships (status 4), the original's other form of a join request. A
 * request of someone who quit earlier reactivates their row as pending, as joinSecretChannel would.
 */
export async function importJoinRequests(ctx: ImportContext): Promise<void> {
  await ctx.keyset<LegacyJoinRequest>({
    step: 'joinRequests',
    count: async () => (await ctx.legacyRows<{ n: number }>('SELECT COUNT(*) AS n FROM userVerifyMsgInfo'))[0].n,
    fetch: (cursor, limit) =>
      ctx.legacyRows(
        'SELECT id, number, applyAccountID, applyRemark, status, validity, createTime FROM userVerifyMsgInfo ' +
          'WHERE id > ? ORDER BY id LIMIT ?',
        [Number(cursor ?? 0), limit],
      ),
    cursorOf: (row) => String(row.id),
    handle: async (rows, m, tally) => {
      const pending: Array<{ row: LegacyJoinRequest; channelId: string }> = [];
      for (const row of rows) {
        tally.read++;
        const key = `id ${row.id}`;
        const channel = ctx.channels.get(row.number);
        if (Number(row.status) !== 0 || Number(row.validity) !== 1) {
          skip(tally, 'request already decided or withdrawn (history only)', key);
        } else if (!isAccountId(row.applyAccountID)) {
          skip(tally, 'applyAccountID is not 10 letters and digits', key);
        } else if (!channel) {
          skip(tally, 'channel not imported (unknown or skipped)', key);
        } else if (pending.some((p) => p.channelId === channel.id && p.row.applyAccountID === row.applyAccountID)) {
          skip(tally, 'second pending request of the same applicant', key);
        } else {
          pending.push({ row, channelId: channel.id });
        }
      }
      const existing = await existingMembers(
        ctx,
        m,
        pending.map((p) => [p.channelId, p.row.applyAccountID]),
      );
      const inserts: unknown[][] = [];
      const reactivate: Array<{ channelId: string; accountId: string; remark: string }> = [];
      const now = new Date();
      for (const { row, channelId } of pending) {
        const key = `id ${row.id}`;
        const member = existing.get(`${channelId}\n${row.applyAccountID}`);
        const { text: remark, cut } = cutToChars(row.applyRemark ?? '', 128);
        if (cut) {
          correct(tally, 'applyRemark longer than 128 characters: cut', key);
        }
        if (member && Number(member.active) === 1) {
          if (Number(member.status) === Number(MemberStatus.Pending)) {
            tally.present++;
          } else {
            skip(tally, 'applicant is already an active member', key);
          }
        } else if (member && Number(member.status) === Number(MemberStatus.Blacklisted)) {
          skip(tally, 'applicant is blacklisted in the channel', key);
        } else if (member) {
          reactivate.push({ channelId, accountId: row.applyAccountID, remark });
          tally.imported++;
        } else {
          const at = fromUnix(row.createTime, now);
          inserts.push([channelId, row.applyAccountID, 'member', MemberStatus.Pending, 1, remark, at, at, at]);
          tally.imported++;
        }
      }
      await ctx.ensureAccounts(
        m,
        inserts.map((v) => v[1] as string),
      );
      if (!m) {
        return;
      }
      if (inserts.length > 0) {
        await m.query(INSERT, [inserts]);
      }
      for (const r of reactivate) {
        await m.query(
          "UPDATE secret_channel_member SET status = 4, active = 1, role = 'member', remark = ? WHERE channel_id = ? AND account_id = ?",
          [r.remark, r.channelId, r.accountId],
        );
      }
    },
  });
}
