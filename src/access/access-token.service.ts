import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomInt } from 'node:crypto';
import { Repository } from 'typeorm';
import { TtlCache } from '../common/cache/ttl-cache';
import { PartnerError } from '../common/errors/partner-error';
import { AccessToken } from './entities/access-token.entity';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const TOKEN_PATTERN = /^[A-Za-z0-9]{32}$/;
export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const LOCAL_TTL_MS = 10_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface TokenRecord {
  appKey: string;
  accountId: string;
  expiresAt: number;
}

/** Access tokens (API.md 4): issued by the admin API, stored as SHA-256 only, checked per request. */
@Injectable()
export class AccessTokenService {
  private readonly local = new TtlCache<TokenRecord | null>();

  constructor(@InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>) {}

  async issue(
    appKey: string,
    accountId: string,
    ttlSeconds: number,
  ): Promise<{ accessToken: string; expiresAt: Date }> {
    let accessToken = '';
    for (let i = 0; i < 32; i++) {
      accessToken += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
    }
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await this.tokens.insert({ tokenHash: hashToken(accessToken), appKey, accountId, expiresAt });
    return { accessToken, expiresAt };
  }

  /** Throws ME01003 unless the token is one of this account's for this app, ME01004 when it has expired. */
  async verify(appKey: string, accountId: string, token: string): Promise<void> {
    const hash = hashToken(token);
    let record = this.local.get(hash);
    if (record === undefined) {
      const row = await this.tokens.findOneBy({ tokenHash: hash });
      record = row ? { appKey: row.appKey, accountId: row.accountId, expiresAt: row.expiresAt.getTime() } : null;
      this.local.set(hash, record, LOCAL_TTL_MS);
    }
    if (!record || record.appKey !== appKey || record.accountId !== accountId) {
      throw new PartnerError('ME01003');
    }
    if (record.expiresAt <= Date.now()) {
      throw new PartnerError('ME01004');
    }
  }
}
