import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomInt } from 'node:crypto';
import { Repository } from 'typeorm';
import { insertedOneRow } from '../database/query-helpers';
import { TtlCache } from '../common/cache/ttl-cache';
import { RedisService } from '../common/redis/redis.service';
import { PartnerApp } from './entities/partner-app.entity';

export interface AppCredentials {
  appKey: string;
  secret: string;
  requireTimestamp: boolean;
  enabled: boolean;
}

const LOCAL_TTL_MS = 30_000;
const LOCAL_MISS_TTL_MS = 2_000;
const REDIS_TTL_SECONDS = 300;

/**
 * Partner apps and their secrets. Lookups go in-process cache -> Redis -> MySQL (API.md 3.2), so a
 * signature check on the hot path costs no database round trip.
 */
@Injectable()
export class PartnerAppService {
  private readonly local = new TtlCache<AppCredentials | null>();

  constructor(
    @InjectRepository(PartnerApp) private readonly apps: Repository<PartnerApp>,
    private readonly redis: RedisService,
  ) {}

  async findCredentials(appKey: string): Promise<AppCredentials | null> {
    const cached = this.local.get(appKey);
    if (cached !== undefined) {
      return cached;
    }
    const key = `app:${appKey}`;
    const fromRedis = await this.redis.run((r) => r.get(key));
    if (fromRedis) {
      const creds = JSON.parse(fromRedis) as AppCredentials;
      this.local.set(appKey, creds, LOCAL_TTL_MS);
      return creds;
    }
    const row = await this.apps.findOneBy({ appKey });
    if (!row) {
      this.local.set(appKey, null, LOCAL_MISS_TTL_MS);
      return null;
    }
    const creds: AppCredentials = {
      appKey: row.appKey,
      secret: row.secret,
      requireTimestamp: row.requireTimestamp,
      enabled: row.enabled,
    };
    await this.redis.run((r) => r.set(key, JSON.stringify(creds), 'EX', REDIS_TTL_SECONDS));
    this.local.set(appKey, creds, LOCAL_TTL_MS);
    return creds;
  }

  /** Creates an app with a fresh 10-digit appKey and a 40-hex secret; the secret is shown only here. */
  async create(name: string, requireTimestamp: boolean): Promise<PartnerApp> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const appKey = String(randomInt(1_000_000_000, 10_000_000_000));
      const secret = randomBytes(20).toString('hex').toUpperCase();
      const result = await this.apps
        .createQueryBuilder()
        .insert()
        .orIgnore()
        .values({ appKey, name, secret, requireTimestamp, enabled: true })
        .execute();
      const inserted = insertedOneRow(result);
      if (inserted) {
        this.local.delete(appKey);
        await this.redis.run((r) => r.del(`app:${appKey}`));
        return this.apps.findOneByOrFail({ appKey });
      }
    }
    throw new Error('could not allocate a free appKey');
  }
}
