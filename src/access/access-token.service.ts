import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomInt } from 'node:crypto';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { TtlCache } from '../common/cache/ttl-cache';
import { PartnerError } from '../common/errors/partner-error';
import { insertedOneRow } from '../database/query-helpers';
import { AccessToken } from './entities/access-token.entity';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const TOKEN_PATTERN = /^[A-Za-z0-9]{32}$/;
export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
export const TOKEN_TOPIC = 'access-token';
/**
 * Every change to a token (issue, import, revoke) is published on TOKEN_TOPIC and the expiry is checked on each
 * request, so this TTL is only a safety net for rows changed behind the service's back. Long enough that polling
 * devices (thousands of callers a minute) rarely send the token lookup to MySQL (docs/performance.md).
 */
const LOCAL_TTL_MS = 300_000;
/** Past this many revoked tokens one message clears the topic instead of naming each hash. */
const MAX_KEYED_INVALIDATIONS = 200;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface TokenRow {
  app_key: string;
  account_id: string;
  expires_at: Date;
}

interface TokenRecord {
  appKey: string;
  accountId: string;
  expiresAt: number;
}

export interface IssueTokenOptions {
  /** Lifetime from now; default 30 days. Ignored when `expiresAt` is given. */
  ttlSeconds?: number;
  /** An existing token brought over unchanged (API.md 15); generated when absent. */
  accessToken?: string;
  /** Expiry in unix seconds (with a brought-over token: its original expiry). */
  expiresAt?: number;
}

/** Which tokens POST /admin/tokens/revoke ends (API.md 10). */
export type RevokeSelector = { accessToken: string } | { appKey: string; accountId: string } | { accountId: string };

/**
 * Access tokens (API.md 4, 10): issued by the admin API, stored as SHA-256 only, checked per request through
 * an in-process cache that the CacheInvalidationService clears on every instance (topic `access-token`, key
 * the token hash) after an issue or a revocation commits.
 */
@Injectable()
export class AccessTokenService {
  private readonly local = new TtlCache<TokenRecord | null>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: CacheInvalidationService,
    private readonly audit: AuditService,
  ) {
    bus.register(TOKEN_TOPIC, this.local);
  }

  /** Issues (or brings over) a token; null when the given accessToken already exists. */
  async issue(
    appKey: string,
    accountId: string,
    options: IssueTokenOptions = {},
  ): Promise<{ accessToken: string; expiresAt: Date } | null> {
    const accessToken = options.accessToken ?? generateToken();
    if (!TOKEN_PATTERN.test(accessToken)) {
      throw new Error('an access token is 32 letters or digits');
    }
    const expiresAt =
      options.expiresAt !== undefined
        ? new Date(options.expiresAt * 1000)
        : new Date(Date.now() + (options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS) * 1000);
    const tokenHash = hashToken(accessToken);
    const inserted = await this.dataSource.transaction(async (m) => {
      const result = await m
        .createQueryBuilder()
        .insert()
        .into(AccessToken)
        .orIgnore()
        .values({ tokenHash, appKey, accountId, expiresAt, revokedAt: null })
        .execute();
      if (!insertedOneRow(result)) {
        return false;
      }
      await this.audit.record(m, {
        appKey,
        action: options.accessToken === undefined ? 'token.issue' : 'token.import',
        entityType: 'account',
        entityId: accountId,
        after: { expiresAt: Math.floor(expiresAt.getTime() / 1000), tokenHashPrefix: tokenHash.slice(0, 12) },
      });
      return true;
    });
    if (!inserted) {
      return null;
    }
    // A brought-over token may have been tried (and cached as unknown) before it existed here.
    await this.bus.invalidate(TOKEN_TOPIC, tokenHash);
    return { accessToken, expiresAt };
  }

  /** Ends every live token the selector names; answers how many were live. */
  async revoke(selector: RevokeSelector): Promise<number> {
    const now = new Date();
    const where =
      'accessToken' in selector
        ? { tokenHash: hashToken(selector.accessToken) }
        : 'appKey' in selector
          ? { appKey: selector.appKey, accountId: selector.accountId }
          : { accountId: selector.accountId };
    const hashes = await this.dataSource.transaction(async (m) => {
      const live = await m.getRepository(AccessToken).find({
        select: { id: true, tokenHash: true, appKey: true },
        where: { ...where, revokedAt: IsNull(), expiresAt: MoreThan(now) },
        lock: { mode: 'pessimistic_write' },
      });
      if (live.length === 0) {
        return [];
      }
      await m.getRepository(AccessToken).update(
        live.map((t) => t.id),
        { revokedAt: now },
      );
      await this.recordRevocation(m, selector, live.length, live[0].appKey);
      return live.map((t) => t.tokenHash);
    });
    if (hashes.length > MAX_KEYED_INVALIDATIONS) {
      await this.bus.invalidate(TOKEN_TOPIC);
    } else {
      await Promise.all(hashes.map((h) => this.bus.invalidate(TOKEN_TOPIC, h)));
    }
    return hashes.length;
  }

  /** Throws ME01003 unless the token is a live one of this account for this app, ME01004 when it has expired. */
  async verify(appKey: string, accountId: string, token: string): Promise<void> {
    const hash = hashToken(token);
    const record = await this.bus.cached(this.local, hash, LOCAL_TTL_MS, () => this.load(hash));
    if (!record || record.appKey !== appKey || record.accountId !== accountId) {
      throw new PartnerError('ME01003');
    }
    if (record.expiresAt <= Date.now()) {
      throw new PartnerError('ME01004');
    }
  }

  /** A cache miss of verify(): hand-written, since a repository lookup costs twice the CPU of the query. */
  private async load(tokenHash: string): Promise<TokenRecord | null> {
    const [row] = await this.dataSource.query<TokenRow[]>(
      'SELECT app_key, account_id, expires_at FROM access_token WHERE token_hash = ? AND revoked_at IS NULL',
      [tokenHash],
    );
    // A revoked token is answered as an unknown one (ME01003), as API.md 10 says.
    return row ? { appKey: row.app_key, accountId: row.account_id, expiresAt: row.expires_at.getTime() } : null;
  }

  private recordRevocation(
    m: EntityManager,
    selector: RevokeSelector,
    revoked: number,
    firstAppKey: string,
  ): Promise<void> {
    if ('accessToken' in selector) {
      return this.audit.record(m, {
        appKey: firstAppKey,
        action: 'token.revoke',
        entityType: 'access_token',
        entityId: hashToken(selector.accessToken).slice(0, 12),
        after: { revoked },
      });
    }
    return this.audit.record(m, {
      appKey: 'appKey' in selector ? selector.appKey : null,
      action: 'token.revoke',
      entityType: 'account',
      entityId: selector.accountId,
      after: { revoked, appKey: 'appKey' in selector ? selector.appKey : 'all' },
    });
  }
}

function generateToken(): string {
  let token = '';
  for (let i = 0; i < 32; i++) {
    token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  }
  return token;
}
