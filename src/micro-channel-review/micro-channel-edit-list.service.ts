import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { TtlCache } from '../common/cache/ttl-cache';
import { containsPattern } from '../database/query-helpers';
import { ReadReplicaService } from '../database/read-replica.service';
import { EditStatus, MicroChannelEdit } from './entities/micro-channel-edit.entity';
import { MicroChannel } from './entities/micro-channel.entity';
import { numberKeyOf } from './micro-channel-review.service';

/** Invalidation topic of the re-review list; published (whole topic) by every write to edits or channel status. */
export const EDIT_LIST_TOPIC = 'micro-channel-edits';
/** A count is recomputed at most this often even without a write (safety net). */
const COUNT_TTL_MS = 60_000;

export interface EditListQuery {
  cityCode?: string;
  catalogId?: string;
  /** The proposed name contains this text. */
  channelName?: string;
  /** The channel number contains this text, in any case. */
  channelNumber?: string;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface EditListPage {
  total: number;
  /** Each with its `channel` loaded. */
  items: Array<MicroChannelEdit & { channel: MicroChannel }>;
}

/**
 * The re-review list (recheckMicroChannel infoType 1 and the reviewer console): pending edits of open
 * channels, oldest first. A page is its ids read from a covering index on (status, channel_open,
 * [city_code], [catalog_id], id), then those 20 rows (a deferred join), so page 500 reads 10,000 index
 * entries and no rows. The total needs every matching index entry, so it is cached per filter and
 * dropped on every instance by any write to an edit or to a channel's status (EDIT_LIST_TOPIC).
 */
@Injectable()
export class MicroChannelEditListService implements OnModuleInit {
  private readonly counts = new TtlCache<number>(1000);

  constructor(
    private readonly invalidation: CacheInvalidationService,
    private readonly replicas: ReadReplicaService,
  ) {}

  onModuleInit(): void {
    this.invalidation.register(EDIT_LIST_TOPIC, this.counts);
  }

  /** Call after a committed change to an edit's status or a channel's status. */
  changed(): Promise<void> {
    return this.invalidation.invalidate(EDIT_LIST_TOPIC);
  }

  page(query: EditListQuery): Promise<EditListPage> {
    // A list read: on a read replica when there is one (API.md 13).
    return this.replicas.read((m) => this.pageOn(m, query));
  }

  private async pageOn(m: EntityManager, query: EditListQuery): Promise<EditListPage> {
    const conditions = [`e.status = ${EditStatus.Pending}`, 'e.channel_open = 1'];
    const params: unknown[] = [];
    let from = 'micro_channel_edit e';
    if (query.cityCode !== undefined) {
      conditions.push('e.city_code = ?');
      params.push(query.cityCode);
    }
    if (query.catalogId !== undefined) {
      conditions.push('e.catalog_id = ?');
      params.push(query.catalogId);
    }
    if (query.channelName !== undefined) {
      conditions.push("e.channel_name LIKE ? ESCAPE '!'");
      params.push(containsPattern(query.channelName));
    }
    if (query.channelNumber !== undefined) {
      from += ' JOIN micro_channel c ON c.id = e.channel_id';
      conditions.push("c.number_key LIKE ? ESCAPE '!'");
      params.push(containsPattern(numberKeyOf(query.channelNumber)));
    }
    const where = conditions.join(' AND ');
    // The SQL is part of the key: a city code and a catalog id may be the same digits.
    const countKey = `${from} WHERE ${where} ${JSON.stringify(params)}`;
    const [total, rows] = await Promise.all([
      this.invalidation.cached(this.counts, countKey, COUNT_TTL_MS, () =>
        m
          .query<Array<{ n: string | number }>>(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`, params)
          .then((r) => Number(r[0].n)),
      ),
      m.query<Array<{ id: string | number }>>(
        `SELECT e.id AS id FROM ${from} WHERE ${where} ORDER BY e.id LIMIT ? OFFSET ?`,
        [...params, query.pageSize, (query.page - 1) * query.pageSize],
      ),
    ]);
    const ids = rows.map((r) => String(r.id));
    if (ids.length === 0) {
      return { total, items: [] };
    }
    const found = await m
      .getRepository(MicroChannelEdit)
      .find({ where: { id: In(ids) }, relations: { channel: true } });
    const byId = new Map(found.map((e) => [e.id, e]));
    const items = ids.flatMap((id) => byId.get(id) ?? []) as EditListPage['items'];
    return { total, items };
  }
}
