import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { insertedOneRow } from '../database/query-helpers';
import { PartnerError } from '../common/errors/partner-error';
import { Account, AccountRole } from './entities/account.entity';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9]{10}$/;

/** Platform accounts and their company roles. */
@Injectable()
export class AccountService {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  find(accountId: string, manager?: EntityManager): Promise<Account | null> {
    const repo = manager ? manager.getRepository(Account) : this.accounts;
    return repo.findOneBy({ accountId });
  }

  /** The account, or ME18053 when a well-formed accountID has no account. */
  async require(accountId: string, manager?: EntityManager): Promise<Account> {
    const account = await this.find(accountId, manager);
    if (!account) {
      throw new PartnerError('ME18053');
    }
    return account;
  }

  /** ME18306 unless the account carries the role. */
  async requireRole(accountId: string, role: AccountRole): Promise<Account> {
    const account = await this.require(accountId);
    if (!account.roles.includes(role)) {
      throw new PartnerError('ME18306');
    }
    return account;
  }

  /** Inserts an account; returns null when the accountID is taken. */
  async create(input: { accountId?: string; nickname?: string; roles?: AccountRole[] }): Promise<Account | null> {
    const roles = [...new Set(input.roles ?? [])].sort();
    for (let attempt = 0; attempt < 5; attempt++) {
      const accountId =
        input.accountId ?? Array.from({ length: 10 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
      const result = await this.accounts
        .createQueryBuilder()
        .insert()
        .orIgnore()
        .values({ accountId, nickname: input.nickname ?? '', roles })
        .execute();
      if (insertedOneRow(result)) {
        return this.accounts.findOneByOrFail({ accountId });
      }
      if (input.accountId) {
        return null;
      }
    }
    throw new Error('could not allocate a free accountID');
  }
}
