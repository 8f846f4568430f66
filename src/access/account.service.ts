import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { TtlCache } from '../common/cache/ttl-cache';
import { insertedOneRow } from '../database/query-helpers';
import { PartnerError } from '../common/errors/partner-error';
import { Account, AccountRole } from './entities/account.entity';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9]{10}$/;
export const ACCOUNT_TOPIC = 'account';
const LOCAL_TTL_MS = 30_000;

/** An account as the admin API shows it (API.md 10). */
export interface AccountView {
  accountID: string;
  nickname: string;
  roles: AccountRole[];
  createdAt: number;
}

export interface UpdateAccountInput {
  nickname?: string;
  roles?: AccountRole[];
}

/**
 * Platform accounts and their company roles. The role check (ME18306) reads an in-process cache that every
 * change clears on every instance (topic `account`, key accountID) after it commits. Plain existence checks
 * (ME18053) read MySQL, as every route makes one anyway inside or beside its transaction.
 */
@Injectable()
export class AccountService {
  private readonly local = new TtlCache<Account | null>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: CacheInvalidationService,
    private readonly audit: AuditService,
  ) {
    bus.register(ACCOUNT_TOPIC, this.local);
  }

  find(accountId: string, manager?: EntityManager): Promise<Account | null> {
    return (manager ?? this.dataSource.manager).getRepository(Account).findOneBy({ accountId });
  }

  /** The account, or ME18053 when a well-formed accountID has no account. */
  async require(accountId: string, manager?: EntityManager): Promise<Account> {
    const account = await this.find(accountId, manager);
    if (!account) {
      throw new PartnerError('ME18053');
    }
    return account;
  }

  /** ME18053 for no account, ME18306 unless the account carries the role. */
  async requireRole(accountId: string, role: AccountRole): Promise<Account> {
    const account = await this.bus.cached(this.local, accountId, LOCAL_TTL_MS, () => this.find(accountId));
    if (!account) {
      throw new PartnerError('ME18053');
    }
    if (!account.roles.includes(role)) {
      throw new PartnerError('ME18306');
    }
    return account;
  }

  /** Inserts an account; returns null when the accountID is taken. */
  async create(input: { accountId?: string; nickname?: string; roles?: AccountRole[] }): Promise<Account | null> {
    const roles = normalizeRoles(input.roles ?? []);
    for (let attempt = 0; attempt < 5; attempt++) {
      const accountId =
        input.accountId ?? Array.from({ length: 10 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
      const result = await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(Account)
        .orIgnore()
        .values({ accountId, nickname: input.nickname ?? '', roles })
        .execute();
      if (insertedOneRow(result)) {
        // Requests naming this accountID before it existed may have cached "no such account".
        await this.bus.invalidate(ACCOUNT_TOPIC, accountId);
        return this.dataSource.getRepository(Account).findOneByOrFail({ accountId });
      }
      if (input.accountId) {
        return null;
      }
    }
    throw new Error('could not allocate a free accountID');
  }

  /** Changes nickname and/or roles (roles replace the set); null for an unknown account. */
  async update(accountId: string, patch: UpdateAccountInput): Promise<Account | null> {
    const updated = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(Account);
      const row = await repo.findOne({ where: { accountId }, lock: { mode: 'pessimistic_write' } });
      if (!row) {
        return null;
      }
      const before = { nickname: row.nickname, roles: row.roles };
      if (patch.nickname !== undefined) {
        row.nickname = patch.nickname;
      }
      if (patch.roles !== undefined) {
        row.roles = normalizeRoles(patch.roles);
      }
      await repo.update({ accountId }, { nickname: row.nickname, roles: row.roles });
      await this.audit.record(m, {
        action: 'account.update',
        entityType: 'account',
        entityId: accountId,
        before,
        after: { nickname: row.nickname, roles: row.roles },
      });
      return row;
    });
    if (updated) {
      await this.bus.invalidate(ACCOUNT_TOPIC, accountId);
    }
    return updated;
  }

  static view(account: Account): AccountView {
    return {
      accountID: account.accountId,
      nickname: account.nickname,
      roles: account.roles,
      createdAt: Math.floor(account.createdAt.getTime() / 1000),
    };
  }
}

function normalizeRoles(roles: AccountRole[]): AccountRole[] {
  return [...new Set(roles)].sort();
}
