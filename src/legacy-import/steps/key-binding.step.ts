import { ImportContext } from '../import-context';
import { skip } from '../import-report';
import { fromUnix, isAccountId, keyBit } from '../legacy-mapping';

interface LegacyKeyRow {
  accountID: string;
  actionType: number;
  customType: number;
  customParameter: string;
  createTime: number;
  validity: number;
}

/** customType of a "+"/"++" key bound to a group channel (ORIGINAL-BEHAVIOUR 2.1 userKeyInfo). */
const GROUP_CHANNEL_CUSTOM_TYPE = 10;

/**
 * userKeyInfo -> secret_channel_key_binding. The original kept a binding twice: the key row names the
 * channel, and the member row's actionType bit marks it. A binding comes over only where both agree on a
 * valid membership; a key row whose bit is gone (the account left, or the key moved) is stale (API.md 15).
 */
export async function importKeyBindings(ctx: ImportContext): Promise<void> {
  await ctx.keyset<LegacyKeyRow>({
    step: 'keyBindings',
    count: async () => (await ctx.legacyRows<{ n: number }>('SELECT COUNT(*) AS n FROM userKeyInfo'))[0].n,
    fetch: (cursor, limit) => {
      const [account, action] = cursor ? (JSON.parse(cursor) as [string, number]) : ['', -1];
      return ctx.legacyRows(
        'SELECT accountID, actionType, customType, customParameter, createTime, validity FROM userKeyInfo ' +
          'WHERE accountID > ? OR (accountID = ? AND actionType > ?) ORDER BY accountID, actionType LIMIT ?',
        [account, account, action, limit],
      );
    },
    cursorOf: (row) => JSON.stringify([row.accountID, Number(row.actionType)]),
    handle: async (rows, m, tally) => {
      const candidates: Array<{ row: LegacyKeyRow; channelId: string; key: string }> = [];
      for (const row of rows) {
        tally.read++;
        const key = `${row.accountID}/${row.actionType}`;
        const actionType = Number(row.actionType);
        if (actionType !== 4 && actionType !== 5) {
          skip(tally, 'not a channel key (actionType 3, the middle key, has no counterpart here)', key);
        } else if (Number(row.validity) !== 1 || !row.customParameter) {
          skip(tally, 'key not bound (validity 0 or no channel)', key);
        } else if (Number(row.customType) !== GROUP_CHANNEL_CUSTOM_TYPE) {
          skip(tally, 'customType is not 10 (group channel)', key);
        } else if (!isAccountId(row.accountID)) {
          skip(tally, 'accountID is not 10 letters and digits', key);
        } else {
          const channel = ctx.channels.get(row.customParameter);
          if (!channel) {
            skip(tally, 'channel not imported (unknown or skipped)', key);
          } else {
            candidates.push({ row, channelId: channel.id, key });
          }
        }
      }
      if (candidates.length === 0) {
        return;
      }
      const bits = new Map<string, number>();
      for (const r of await ctx.legacyRows<{ number: string; accountID: string; actionType: number }>(
        'SELECT number, accountID, actionType FROM joinMemberList WHERE validity = 1 AND accountID IN (?)',
        [[...new Set(candidates.map((c) => c.row.accountID))]],
      )) {
        const k = `${r.number}\n${r.accountID}`;
        bits.set(k, (bits.get(k) ?? 0) | Number(r.actionType));
      }
      const present = new Set(
        (
          await ctx.read<Array<{ a: string; t: number }>>(
            m,
            'SELECT account_id AS a, action_type AS t FROM secret_channel_key_binding WHERE account_id IN (?)',
            [[...new Set(candidates.map((c) => c.row.accountID))]],
          )
        ).map((r) => `${r.a}/${Number(r.t)}`),
      );
      const values: unknown[][] = [];
      for (const { row, channelId, key } of candidates) {
        const bit = keyBit(Number(row.actionType));
        if (((bits.get(`${row.customParameter}\n${row.accountID}`) ?? 0) & bit) === 0) {
          skip(tally, 'stale: no valid membership of the account has this key bit set for that channel', key);
        } else if (present.has(key)) {
          tally.present++;
        } else {
          values.push([row.accountID, Number(row.actionType), channelId, fromUnix(row.createTime, new Date())]);
          tally.imported++;
        }
      }
      if (m && values.length > 0) {
        await m.query(
          'INSERT INTO secret_channel_key_binding (account_id, action_type, channel_id, bound_at) VALUES ?',
          [values],
        );
      }
    },
  });
}
