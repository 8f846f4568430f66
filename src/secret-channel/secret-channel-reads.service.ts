import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, EntityMetadata, ObjectLiteral } from 'typeorm';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { TtlCache } from '../common/cache/ttl-cache';
import { PartnerError } from '../common/errors/partner-error';
import { containsPattern } from '../database/query-helpers';
import { ReadReplicaService } from '../database/read-replica.service';
import { ChannelOfAccountDto, FetchSecretChannelDto } from './dto/secret-channel.dto';
import { FetchSecretChannelResponseDto, SecretChannelResponseDto } from './dto/secret-channel.response.dto';
import { effectiveStatus, MemberStatus, SecretChannelMember } from './entities/secret-channel-member.entity';
import { ChannelStatus, SecretChannel } from './entities/secret-channel.entity';
import { SECRET_CHANNEL_TOPIC, unixSeconds } from './secret-channel.store';

/** A count of public channels is recomputed at most this often even without a write (safety net). */
const PUBLIC_COUNT_TTL_MS = 60_000;

type Row = Record<string, unknown>;

/**
 * What callers read about group channels: getSecretChannelInfo and fetchSecretChannel. These are the
 * polled routes, so each is a fixed number of hand-written queries on covering indexes rather than
 * query-builder trees: getSecretChannelInfo is one query (account, channel, the caller's membership
 * and keys), and so is a list page (the caller's account, the page's ids on an index in a derived table —
 * a deferred join: deep pages read index entries only — and those rows). Rows are hydrated through the entity metadata, so a column added to an entity
 * (a timed mute, say) arrives here without touching this file, converted as TypeORM converts it.
 *
 * The one cache: the count of public channels per filter, which every page of infoType 1 needs and
 * which costs a scan of the index. It is dropped on every instance whenever any channel is written
 * (topic `secret-channel`, published after every commit of the secret-channel services), so a count never
 * outlives the write that changed it.
 */
@Injectable()
export class SecretChannelReadService implements OnModuleInit {
  private readonly publicCounts = new TtlCache<number>(1000);
  private channelColumns = '';
  private memberColumns = '';
  private channelMeta: EntityMetadata;
  private memberMeta: EntityMetadata;

  constructor(
    private readonly dataSource: DataSource,
    private readonly invalidation: CacheInvalidationService,
    private readonly replicas: ReadReplicaService,
  ) {}

  onModuleInit(): void {
    this.channelMeta = this.dataSource.getMetadata(SecretChannel);
    this.memberMeta = this.dataSource.getMetadata(SecretChannelMember);
    this.channelColumns = selectList(this.channelMeta, 'c');
    this.memberColumns = selectList(this.memberMeta, 'mb');
    // Any write to any channel may change which channels are public and open: drop every count.
    const counts = this.publicCounts;
    this.invalidation.register(SECRET_CHANNEL_TOPIC, { delete: () => counts.clear(), clear: () => counts.clear() });
  }

  /** getSecretChannelInfo: account exists (ME18053) -> channel live (ME18109) -> the caller's view. */
  async info(dto: ChannelOfAccountDto): Promise<SecretChannelResponseDto> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT a.account_id AS account_found, ${this.channelColumns}, ${this.memberColumns},
         (SELECT GROUP_CONCAT(k.action_type ORDER BY k.action_type) FROM secret_channel_key_binding k
           WHERE k.account_id = ? AND k.channel_id = c.id) AS bind_keys
       FROM (SELECT 1 AS one) AS probe
       LEFT JOIN account a ON a.account_id = ?
       LEFT JOIN secret_channel c ON c.channel_number = ?
       LEFT JOIN secret_channel_member mb ON mb.channel_id = c.id AND mb.account_id = ?`,
      [dto.accountID, dto.accountID, dto.channelNumber, dto.accountID],
    );
    const row = rows[0];
    if (!row?.account_found) {
      throw new PartnerError('ME18053');
    }
    const channel = this.hydrate<SecretChannel>(row, 'c', this.channelMeta);
    if (!channel || channel.status !== ChannelStatus.Normal) {
      throw new PartnerError('ME18109');
    }
    return viewOf(
      channel,
      this.hydrate<SecretChannelMember>(row, 'mb', this.memberMeta),
      row.bind_keys as string | Buffer | null,
    );
  }

  /** fetchSecretChannel: 1 public open channels (most members first), 2 owned, 3 joined (newest first). */
  fetch(dto: FetchSecretChannelDto): Promise<FetchSecretChannelResponseDto> {
    // A list read: on a read replica when there is one (API.md 13).
    return this.replicas.read((m) => this.fetchPage(m, dto));
  }

  /**
   * One statement for the account check, the page and its rows: the page's ids come from a derived table on a
   * covering index (a deferred join: a deep page reads index entries only), joined to their rows and the
   * caller's membership. A derived table's order does not survive the join, so the rows are put back in the
   * list's order here, by the same keys. infoType 2 and 3 count in a second statement at the same time; the
   * public count of infoType 1 is cached.
   */
  private async fetchPage(m: EntityManager, dto: FetchSecretChannelDto): Promise<FetchSecretChannelResponseDto> {
    const startPage = Number(dto.startPage ?? '1');
    const pageCount = Number(dto.pageCount ?? '20');
    const { from, where, params, order } = listQuery(dto);
    const countSql = `SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`;
    const count = (): Promise<number> => m.query<Row[]>(countSql, params).then((r) => Number(r[0].n));
    const [rows, total] = await Promise.all([
      m.query<Row[]>(
        `SELECT a.account_id AS account_found, ${this.channelColumns}, ${this.memberColumns},
           (SELECT GROUP_CONCAT(k.action_type ORDER BY k.action_type) FROM secret_channel_key_binding k
             WHERE k.account_id = ? AND k.channel_id = c.id) AS bind_keys
         FROM (SELECT 1 AS one) AS probe
         LEFT JOIN account a ON a.account_id = ?
         LEFT JOIN (SELECT c.id AS id FROM ${from} WHERE ${where}
                    ORDER BY ${order.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')}
                    LIMIT ? OFFSET ?) AS page ON a.account_id IS NOT NULL
         LEFT JOIN secret_channel c ON c.id = page.id
         LEFT JOIN secret_channel_member mb ON mb.channel_id = c.id AND mb.account_id = ?`,
        [dto.accountID, dto.accountID, ...params, pageCount, (startPage - 1) * pageCount, dto.accountID],
      ),
      dto.infoType === '1'
        ? this.invalidation.cached(
            this.publicCounts,
            `${countSql} ${JSON.stringify(params)}`,
            PUBLIC_COUNT_TTL_MS,
            count,
          )
        : count(),
    ]);
    if (!rows[0]?.account_found) {
      throw new PartnerError('ME18053');
    }
    const page = rows.flatMap((row) => {
      const channel = this.hydrate<SecretChannel>(row, 'c', this.channelMeta);
      return channel ? [{ channel, row }] : [];
    });
    page.sort((x, y) => compareBy(order, x.channel, y.channel));
    return {
      count: String(total),
      list: page.map(({ channel, row }) =>
        viewOf(
          channel,
          this.hydrate<SecretChannelMember>(row, 'mb', this.memberMeta),
          row.bind_keys as string | Buffer | null,
        ),
      ),
    };
  }

  /** The entity behind the `prefix_` columns of a row, or undefined when a LEFT JOIN found none. */
  private hydrate<T extends ObjectLiteral>(row: Row, prefix: string, meta: EntityMetadata): T | undefined {
    const primary = meta.primaryColumns[0];
    if (row[`${prefix}_${primary.databaseName}`] === null || row[`${prefix}_${primary.databaseName}`] === undefined) {
      return undefined;
    }
    const entity: ObjectLiteral = {};
    for (const column of meta.columns) {
      column.setEntityValue(
        entity,
        this.dataSource.driver.prepareHydratedValue(row[`${prefix}_${column.databaseName}`], column),
      );
    }
    return entity as T;
  }
}

function selectList(meta: EntityMetadata, alias: string): string {
  return meta.columns.map((c) => `${alias}.\`${c.databaseName}\` AS \`${alias}_${c.databaseName}\``).join(', ');
}

/** One key of a list's order: the SQL expression, and the channel's field that holds the same value. */
interface OrderKey {
  sql: string;
  field: 'memberCount' | 'id';
  descending: boolean;
}

/** Orders two channels as `ORDER BY` the keys orders their rows (every key is numeric). */
function compareBy(order: OrderKey[], x: SecretChannel, y: SecretChannel): number {
  for (const key of order) {
    const diff = Number(x[key.field]) - Number(y[key.field]);
    if (diff !== 0) {
      return key.descending ? -diff : diff;
    }
  }
  return 0;
}

/**
 * The FROM, WHERE and ORDER BY of a fetchSecretChannel list. Each ORDER BY is the order of an index
 * over the WHERE's equality columns (migration PerformanceIndexes), so no page is sorted in memory.
 */
function listQuery(dto: FetchSecretChannelDto): { from: string; where: string; params: unknown[]; order: OrderKey[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  let from = 'secret_channel c';
  let order: OrderKey[] = [{ sql: 'c.id', field: 'id', descending: true }];
  if (dto.infoType === '1') {
    conditions.push(`c.open_type = 1 AND c.status = ${ChannelStatus.Normal}`);
    order = [
      { sql: 'c.member_count', field: 'memberCount', descending: true },
      { sql: 'c.id', field: 'id', descending: false },
    ];
  } else if (dto.infoType === '2') {
    conditions.push(`c.owner_account_id = ? AND c.status IN (${ChannelStatus.Normal}, ${ChannelStatus.Closed})`);
    params.push(dto.accountID);
  } else {
    from = 'secret_channel_member mb JOIN secret_channel c ON c.id = mb.channel_id';
    conditions.push(
      `mb.account_id = ? AND mb.active = 1 AND mb.role <> 'owner' AND c.status IN (${ChannelStatus.Normal}, ${ChannelStatus.Closed})`,
    );
    params.push(dto.accountID);
    // The membership's copy of the channel id: the order of the index the WHERE uses.
    order = [{ sql: 'mb.channel_id', field: 'id', descending: true }];
  }
  if (dto.cityCode !== undefined) {
    conditions.push('c.city_code = ?');
    params.push(dto.cityCode);
  }
  if (dto.catalogID !== undefined) {
    conditions.push('c.catalog_id = ?');
    params.push(dto.catalogID);
  }
  if (dto.channelName !== undefined) {
    conditions.push("c.name COLLATE utf8mb4_unicode_ci LIKE ? ESCAPE '!'");
    params.push(containsPattern(dto.channelName));
  }
  if (dto.channelKeyWords !== undefined) {
    conditions.push("c.keywords LIKE ? ESCAPE '!'");
    params.push(containsPattern(dto.channelKeyWords));
  }
  return { from, where: conditions.join(' AND '), params, order };
}

/** One channel as one account sees it (API.md 5.6). */
export function viewOf(
  c: SecretChannel,
  membership: SecretChannelMember | undefined,
  bindKeys: string | Buffer | null | undefined,
): SecretChannelResponseDto {
  const joined = membership?.active === true;
  const seesCode = c.openType === 1 || (joined && membership.status !== MemberStatus.Pending);
  return {
    channelNumber: c.channelNumber ?? '',
    channelName: c.name,
    channelIntroduction: c.introduction,
    cityCode: c.cityCode,
    cityName: c.cityName,
    catalogID: c.catalogId,
    catalogName: c.catalogName,
    logoURL: c.logoUrl,
    keyWords: c.keywords,
    openType: String(c.openType),
    isVerify: String(c.isVerify),
    capacity: String(c.capacity),
    memberCount: String(c.memberCount),
    ownerAccountID: c.ownerAccountId,
    channelStatus: String(c.status),
    voiceURL: c.voiceUrl,
    createTime: unixSeconds(c.createdAt),
    uniqueCode: seesCode ? (c.uniqueCode ?? '') : '',
    isJoined: joined ? '1' : '0',
    role: joined ? membership.role : '',
    // A timed mute that has run out reads as normal now, whatever the row still says.
    memberStatus: joined ? String(effectiveStatus(membership)) : '',
    // GROUP_CONCAT may come back as a binary string (a Buffer).
    bindKey: bindKeys === null || bindKeys === undefined ? '' : bindKeys.toString(),
  };
}
