import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { AccountService } from '../access/account.service';
import { AccountRole } from '../access/entities/account.entity';
import { AuditService } from '../audit/audit.service';
import { RedisService } from '../common/redis/redis.service';
import { safeEqual } from '../common/signature/sign';
import { DataSource } from 'typeorm';
import { ConsolePasswordService } from './console-password.service';
import { sessionTokenOf } from './console-request';

/** Idle expiry of a console session (API.md 14): every request pushes it 8 h further. */
export const SESSION_IDLE_SECONDS = 8 * 3600;
/** Failed sign-ins in a row that lock an account's console sign-in, and for how long. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_SECONDS = 15 * 60;
/** A run of failures older than this is forgotten; a lock-out needs 5 in a row within it. */
const FAILURE_MEMORY_SECONDS = 24 * 3600;
/** Roles that may sign in to the console. */
export const CONSOLE_ROLES: readonly AccountRole[] = ['reviewer', 'operator'];

export interface ConsoleSession {
  accountId: string;
  nickname: string;
  /** Read from the account on every request, so a removed role takes effect at once. */
  roles: AccountRole[];
  /** The per-session token every change must carry. */
  csrf: string;
}

interface StoredSession {
  accountId: string;
  csrf: string;
  createdAt: number;
}

export type SignInResult =
  | { ok: true; token: string; session: ConsoleSession }
  | { ok: false; reason: 'invalid' | 'no-role'; remainingAttempts: number }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Console sign-in and sessions (API.md 14). Sessions live in Redis under the SHA-256 of the cookie
 * value, so neither Redis nor a log ever holds a usable session token; the failure counter and the
 * lock-out are Redis counters too, so they hold across every instance.
 */
@Injectable()
export class ConsoleSessionService {
  constructor(
    private readonly redis: RedisService,
    private readonly accounts: AccountService,
    private readonly passwords: ConsolePasswordService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Each attempt takes its number from the failure counter before its password is checked, so however
   * many guesses arrive at once, at most MAX_FAILED_SIGN_INS of them are ever checked per lock-out.
   */
  async signIn(accountId: string, password: string): Promise<SignInResult> {
    const lockTtl = await this.redis.run((r) => r.ttl(lockKey(accountId)));
    if (lockTtl > 0) {
      return { ok: false, reason: 'locked', retryAfterSeconds: lockTtl };
    }
    const attempt = await this.redis.run(async (r) => {
      const [[, count]] = (await r
        .multi()
        .incr(failKey(accountId))
        .expire(failKey(accountId), FAILURE_MEMORY_SECONDS)
        .exec()) as [[Error | null, number]];
      return count;
    });
    if (attempt > MAX_FAILED_SIGN_INS) {
      // Past the limit while the attempt that reached it is still being checked (or died doing so).
      await this.redis.run((r) => r.set(lockKey(accountId), '1', 'EX', LOCK_SECONDS, 'NX'));
      return { ok: false, reason: 'locked', retryAfterSeconds: LOCK_SECONDS };
    }
    if (!(await this.passwords.check(accountId, password))) {
      return this.recordFailure(accountId, attempt);
    }
    await this.redis.run((r) => r.del(failKey(accountId)));
    const account = await this.accounts.find(accountId);
    const roles = (account?.roles ?? []).filter((role) => CONSOLE_ROLES.includes(role));
    if (!account || roles.length === 0) {
      return { ok: false, reason: 'no-role', remainingAttempts: MAX_FAILED_SIGN_INS };
    }
    const token = randomBytes(32).toString('base64url');
    const stored: StoredSession = { accountId, csrf: randomBytes(24).toString('base64url'), createdAt: Date.now() };
    const id = sha256(token);
    await this.redis.run((r) =>
      r
        .multi()
        .set(sessionKey(id), JSON.stringify(stored), 'EX', SESSION_IDLE_SECONDS)
        .sadd(accountSessionsKey(accountId), id)
        .expire(accountSessionsKey(accountId), SESSION_IDLE_SECONDS)
        .exec(),
    );
    await this.record(accountId, 'console.sign-in', {});
    return { ok: true, token, session: { accountId, nickname: account.nickname, roles, csrf: stored.csrf } };
  }

  /** The live session of a cookie value, its idle expiry renewed; null when unknown, expired or roleless. */
  async resume(token: string | undefined): Promise<ConsoleSession | null> {
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      return null;
    }
    const id = sha256(token);
    const raw = await this.redis.run((r) => r.get(sessionKey(id)));
    if (!raw) {
      return null;
    }
    const stored = JSON.parse(raw) as StoredSession;
    const account = await this.accounts.find(stored.accountId);
    const roles = (account?.roles ?? []).filter((role) => CONSOLE_ROLES.includes(role));
    if (!account || roles.length === 0) {
      await this.end(token);
      return null;
    }
    await this.redis.run((r) =>
      r
        .multi()
        .expire(sessionKey(id), SESSION_IDLE_SECONDS)
        .expire(accountSessionsKey(stored.accountId), SESSION_IDLE_SECONDS)
        .exec(),
    );
    return { accountId: stored.accountId, nickname: account.nickname, roles, csrf: stored.csrf };
  }

  async end(token: string): Promise<void> {
    const id = sha256(token);
    const raw = await this.redis.run((r) => r.get(sessionKey(id)));
    const accountId = raw ? (JSON.parse(raw) as StoredSession).accountId : null;
    await this.redis.run((r) => {
      const tx = r.multi().del(sessionKey(id));
      return (accountId ? tx.srem(accountSessionsKey(accountId), id) : tx).exec();
    });
  }

  /** A new password ends every session of the account and lifts a lock-out. */
  async revokeAll(accountId: string): Promise<void> {
    const ids = await this.redis.run((r) => r.smembers(accountSessionsKey(accountId)));
    await this.redis.run((r) =>
      r
        .multi()
        .del(...ids.map(sessionKey), accountSessionsKey(accountId), failKey(accountId), lockKey(accountId))
        .exec(),
    );
  }

  /** The queue board opens for an operator's console session (API.md 14). */
  async boardAccess(req: Request): Promise<'operator' | 'other' | null> {
    const session = await this.resume(sessionTokenOf(req));
    return session ? (session.roles.includes('operator') ? 'operator' : 'other') : null;
  }

  csrfMatches(session: ConsoleSession, given: unknown): boolean {
    return typeof given === 'string' && given.length > 0 && safeEqual(given, session.csrf);
  }

  /** The attempt that reaches the limit sets the lock and starts a new run of the counter. */
  private async recordFailure(accountId: string, attempt: number): Promise<SignInResult> {
    if (attempt < MAX_FAILED_SIGN_INS) {
      return { ok: false, reason: 'invalid', remainingAttempts: MAX_FAILED_SIGN_INS - attempt };
    }
    await this.redis.run((r) =>
      r.multi().set(lockKey(accountId), '1', 'EX', LOCK_SECONDS).del(failKey(accountId)).exec(),
    );
    if (await this.accounts.find(accountId)) {
      await this.record(accountId, 'console.sign-in.lock', {
        failures: MAX_FAILED_SIGN_INS,
        lockSeconds: LOCK_SECONDS,
      });
    }
    return { ok: false, reason: 'locked', retryAfterSeconds: LOCK_SECONDS };
  }

  private async record(accountId: string, action: string, after: Record<string, unknown>): Promise<void> {
    await this.audit.record(this.dataSource.manager, {
      actorAccountId: accountId,
      appKey: null,
      action,
      entityType: 'account',
      entityId: accountId,
      after,
    });
  }
}

// Sessions, an account's session set, its failure counter and its lock are changed together in MULTIs, so in
// a Redis Cluster they share the `{console}` hash tag (one slot; the console has few users).
const sessionKey = (id: string): string => `{console}:session:${id}`;
const accountSessionsKey = (accountId: string): string => `{console}:sessions:${accountId}`;
const failKey = (accountId: string): string => `{console}:sign-in-failures:${accountId}`;
const lockKey = (accountId: string): string => `{console}:sign-in-lock:${accountId}`;
