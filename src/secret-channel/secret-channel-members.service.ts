import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccountService } from '../access/account.service';
import { AuditService } from '../audit/audit.service';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { PartnerCaller } from '../common/decorators/partner.decorators';
import { PartnerError } from '../common/errors/partner-error';
import { AppConfig } from '../config/configuration';
import { ReadReplicaService } from '../database/read-replica.service';
import { EventOutboxService } from '../partner-events/event-outbox.service';
import {
  FetchSecretChannelMembersDto,
  FetchSecretChannelMembersResponseDto,
  SetSecretChannelAdminDto,
} from './dto/secret-channel-members.dto';
import {
  effectiveStatus,
  MemberRole,
  MemberStatus,
  SecretChannelMember,
} from './entities/secret-channel-member.entity';
import { ChannelStatus, SecretChannel } from './entities/secret-channel.entity';
import { lockLiveChannel, lockMember, MEMBER_ENTITY, SECRET_CHANNEL_TOPIC, unixSeconds } from './secret-channel.store';

interface MemberListRow {
  accountId: string;
  role: MemberRole;
  status: number;
  muteUntil: Date | null;
  joinedAt: Date;
}

/** Channel admins (setSecretChannelAdmin) and the member list (fetchSecretChannelMembers), API.md 11. */
@Injectable()
export class SecretChannelMembersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly accounts: AccountService,
    private readonly audit: AuditService,
    private readonly events: EventOutboxService,
    private readonly invalidation: CacheInvalidationService,
    private readonly replicas: ReadReplicaService,
  ) {}

  /**
   * setSecretChannelAdmin. The channel row is locked first, so the admin count and the limit hold
   * under concurrent requests: two appointments on one channel run one after the other.
   */
  async setAdmin(dto: SetSecretChannelAdminDto, caller: PartnerCaller): Promise<void> {
    const role: MemberRole = dto.isAdmin === '1' ? 'admin' : 'member';
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      await this.accounts.require(dto.accountID, m);
      const channel = await lockLiveChannel(m, dto.channelNumber);
      if (channel.ownerAccountId !== dto.accountID) {
        throw new PartnerError('ME18306');
      }
      if (dto.userAccountID === dto.accountID) {
        throw new PartnerError('ME18305');
      }
      const target = await lockMember(m, channel.id, dto.userAccountID);
      if (!target || !target.active || target.status === MemberStatus.Pending) {
        throw new PartnerError('ME18312');
      }
      if (target.role === role) {
        throw new PartnerError('ME18105');
      }
      if (role === 'admin') {
        const [{ n }] = await m.query<Array<{ n: string | number }>>(
          'SELECT COUNT(*) AS n FROM secret_channel_member WHERE channel_id = ? AND active = 1 AND role_rank = 1',
          [channel.id],
        );
        if (Number(n) >= this.config.channels.maxAdmins) {
          throw new PartnerError('ME18315');
        }
      }
      await m.getRepository(SecretChannelMember).update({ id: target.id }, { role });
      await this.audit.record(m, {
        actorAccountId: dto.accountID,
        appKey: caller.appKey,
        action: 'secret-channel.member-role',
        entityType: MEMBER_ENTITY,
        entityId: `${dto.channelNumber}:${dto.userAccountID}`,
        before: { role: target.role },
        after: { role },
      });
      await this.events.record(m, {
        event: 'secret_channel.member_role_changed',
        channelNumber: dto.channelNumber,
        actorAccountId: dto.accountID,
        subjectAccountId: dto.userAccountID,
        before: { role: target.role },
        after: { role },
      });
    });
    await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, dto.channelNumber);
  }

  /**
   * fetchSecretChannelMembers: owner first, then admins, then members, each by join time. The order is
   * idx_secret_channel_member_list (channel_id, active, role_rank, joined_at, id), so a page costs an
   * index range read however large the channel; statuses are the effective ones at this moment.
   */
  async list(dto: FetchSecretChannelMembersDto): Promise<FetchSecretChannelMembersResponseDto> {
    await this.accounts.require(dto.accountID);
    const channel = await this.dataSource.getRepository(SecretChannel).findOne({
      where: { channelNumber: dto.channelNumber },
      select: { id: true, status: true },
    });
    if (!channel || channel.status !== ChannelStatus.Normal) {
      throw new PartnerError('ME18109');
    }
    const me = await this.dataSource
      .getRepository(SecretChannelMember)
      .findOneBy({ channelId: channel.id, accountId: dto.accountID });
    if (!me || !me.active || me.status === MemberStatus.Pending) {
      throw new PartnerError('ME18312');
    }
    const manager = me.role === 'owner' || me.role === 'admin';
    if (dto.memberStatus === '4' && !manager) {
      return { count: '0', list: [] };
    }
    const now = new Date();
    const where = ['channel_id = ?', 'active = 1'];
    const params: unknown[] = [channel.id];
    if (dto.memberStatus === '1') {
      where.push('(status = 1 OR (status = 2 AND mute_until <= ?))');
      params.push(now);
    } else if (dto.memberStatus === '2') {
      where.push('status = 2 AND (mute_until IS NULL OR mute_until > ?)');
      params.push(now);
    } else if (dto.memberStatus !== undefined) {
      where.push('status = ?');
      params.push(Number(dto.memberStatus));
    } else if (!manager) {
      where.push('status <> 4');
    }
    const startPage = Number(dto.startPage ?? '1');
    const pageCount = Number(dto.pageCount ?? '20');
    const condition = where.join(' AND ');
    // The checks above read the primary (a member who just joined may list at once); the page itself is a
    // list read, on a read replica when there is one (API.md 13).
    const { n, rows, nicknames } = await this.replicas.read(async (m) => {
      const [[count], page] = await Promise.all([
        m.query<Array<{ n: string | number }>>(
          `SELECT COUNT(*) AS n FROM secret_channel_member WHERE ${condition}`,
          params,
        ),
        m.query<MemberListRow[]>(
          `SELECT account_id AS accountId, role, status, mute_until AS muteUntil, joined_at AS joinedAt
           FROM secret_channel_member WHERE ${condition}
           ORDER BY role_rank, joined_at, id LIMIT ? OFFSET ?`,
          [...params, pageCount, (startPage - 1) * pageCount],
        ),
      ]);
      return {
        n: count.n,
        rows: page,
        nicknames: await this.nicknamesOf(
          m,
          page.map((r) => r.accountId),
        ),
      };
    });
    return {
      count: String(n),
      list: rows.map((r) => {
        const status = effectiveStatus({ status: r.status, muteUntil: r.muteUntil }, now);
        return {
          accountID: r.accountId,
          nickname: nicknames.get(r.accountId) ?? '',
          role: r.role,
          memberStatus: String(status),
          joinTime: unixSeconds(r.joinedAt),
          muteUntil: status === MemberStatus.Muted && r.muteUntil ? unixSeconds(r.muteUntil) : '',
        };
      }),
    };
  }

  private async nicknamesOf(m: EntityManager, accountIds: string[]): Promise<Map<string, string>> {
    if (accountIds.length === 0) {
      return new Map();
    }
    const rows = await m.query<Array<{ id: string; nickname: string }>>(
      `SELECT account_id AS id, nickname FROM account WHERE account_id IN (${accountIds.map(() => '?').join(',')})`,
      accountIds,
    );
    return new Map(rows.map((r) => [r.id, r.nickname]));
  }
}
