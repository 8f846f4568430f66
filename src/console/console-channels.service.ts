import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Account } from '../access/entities/account.entity';
import { AuditLog } from '../audit/entities/audit-log.entity';
import { containsPattern } from '../database/query-helpers';
import { SecretChannelMember } from '../secret-channel/entities/secret-channel-member.entity';
import { SecretChannel } from '../secret-channel/entities/secret-channel.entity';
import { CHANNEL_ENTITY, MEMBER_ENTITY } from '../secret-channel/secret-channel.store';

export interface MemberRow {
  member: SecretChannelMember;
  nickname: string;
}

/**
 * What the operators' pages read about group channels: search by number or name over every status,
 * members with their nicknames, the channel's audit trail. Reads only; closing and reopening go
 * through SecretChannelService like manageSecretChannelUsers infoType 1.
 */
@Injectable()
export class ConsoleChannelsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Digits match the number (exactly, or as its start); anything else the name (contains). Newest first. */
  async search(text: string, page: number, pageSize: number): Promise<{ total: number; items: SecretChannel[] }> {
    const qb = this.dataSource.getRepository(SecretChannel).createQueryBuilder('c');
    if (/^\d{1,10}$/.test(text)) {
      qb.where("(c.channelNumber LIKE :prefix ESCAPE '!' OR c.channelNumber = :padded)", {
        prefix: `${text}%`,
        padded: text.padStart(9, '0'),
      });
    } else if (text) {
      qb.where("c.name LIKE :name ESCAPE '!'", { name: containsPattern(text) });
    }
    const [items, total] = await qb
      .orderBy('c.id', 'DESC')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getManyAndCount();
    return { total, items };
  }

  find(channelNumber: string): Promise<SecretChannel | null> {
    return this.dataSource.getRepository(SecretChannel).findOneBy({ channelNumber });
  }

  /** Every membership row (current and former), owner first, then admins, then by join time. */
  async members(channelId: string, page: number, pageSize: number): Promise<{ total: number; items: MemberRow[] }> {
    const qb = this.dataSource
      .getRepository(SecretChannelMember)
      .createQueryBuilder('m')
      .leftJoin(Account, 'a', 'a.accountId = m.accountId')
      .addSelect('a.nickname', 'nickname')
      .where('m.channelId = :channelId', { channelId })
      .orderBy('m.active', 'DESC')
      .addOrderBy("FIELD(m.role, 'owner', 'admin', 'member')", 'ASC')
      .addOrderBy('m.joinedAt', 'ASC')
      .addOrderBy('m.id', 'ASC');
    const total = await qb.getCount();
    const { entities, raw } = await qb
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getRawAndEntities<{ nickname: string | null }>();
    return { total, items: entities.map((member, i) => ({ member, nickname: raw[i]?.nickname ?? '' })) };
  }

  /** Audit rows of the channel and of its memberships, newest first (channelNumber: digits only). */
  audit(channelNumber: string, limit: number): Promise<AuditLog[]> {
    return this.dataSource
      .getRepository(AuditLog)
      .createQueryBuilder('l')
      .where('(l.entityType = :channel AND l.entityId = :number)', { channel: CHANNEL_ENTITY, number: channelNumber })
      .orWhere('(l.entityType = :member AND l.entityId LIKE :prefix)', {
        member: MEMBER_ENTITY,
        prefix: `${channelNumber}:%`,
      })
      .orderBy('l.id', 'DESC')
      .limit(limit)
      .getMany();
  }
}
