import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccountService } from '../access/account.service';
import { AuditService } from '../audit/audit.service';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { PartnerCaller } from '../common/decorators/partner.decorators';
import { PartnerError } from '../common/errors/partner-error';
import { EventOutboxService } from '../partner-events/event-outbox.service';
import { insertRow } from '../database/query-helpers';
import { ChannelOfAccountDto, JoinSecretChannelDto, SetUserkeyInfoDto } from './dto/secret-channel.dto';
import { JoinSecretChannelResponseDto } from './dto/secret-channel.response.dto';
import { BindableKey, SecretChannelKeyBinding } from './entities/secret-channel-key-binding.entity';
import { effectiveStatus, MemberStatus, SecretChannelMember } from './entities/secret-channel-member.entity';
import { ChannelStatus, SecretChannel } from './entities/secret-channel.entity';
import {
  KEY_ENTITY,
  keysBoundTo,
  lockLiveChannel,
  lockMember,
  MEMBER_ENTITY,
  SECRET_CHANNEL_TOPIC,
  unixSeconds,
} from './secret-channel.store';

interface AffectedRows {
  affected?: number | null;
}

/**
 * Memberships of group channels: join (and join requests on isVerify channels), quit, the member
 * statuses a channel manager sets, and device-key bindings. Every change locks the channel row first.
 */
@Injectable()
export class SecretChannelMembershipService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountService,
    private readonly audit: AuditService,
    private readonly events: EventOutboxService,
    private readonly invalidation: CacheInvalidationService,
  ) {}

  /**
   * joinSecretChannel. A channel with isVerify = 1 gets a pending membership (status 4) that does not
   * count until a manager approves it; otherwise the member count grows by a conditional UPDATE that
   * never passes capacity.
   */
  async join(dto: JoinSecretChannelDto, caller: PartnerCaller): Promise<JoinSecretChannelResponseDto> {
    const joined = await this.dataSource.transaction('READ COMMITTED', async (m) => {
      await this.accounts.require(dto.accountID, m);
      const channel = await m
        .getRepository(SecretChannel)
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.uniqueCode = :code', { code: dto.uniqueCode })
        .getOne();
      if (!channel || channel.status !== ChannelStatus.Normal) {
        throw new PartnerError('ME18107');
      }
      if (channel.ownerAccountId === dto.accountID) {
        throw new PartnerError('ME18308');
      }
      const row = await lockMember(m, channel.id, dto.accountID);
      if (row?.active) {
        throw new PartnerError('ME18309');
      }
      if (row?.status === MemberStatus.Blacklisted) {
        throw new PartnerError('ME18314');
      }
      const pending = channel.isVerify === 1;
      if (pending) {
        if (channel.memberCount >= channel.capacity) {
          throw new PartnerError('ME18108');
        }
      } else if (!(await this.takeSeat(m, channel.id))) {
        throw new PartnerError('ME18108');
      }
      // A muted member who quit and comes back is still muted (until the same time, for a timed mute whose
      // time has not passed); a request waiting for approval is 4.
      const stillMuted = row !== null && effectiveStatus(row) === MemberStatus.Muted;
      const status = pending ? MemberStatus.Pending : stillMuted ? MemberStatus.Muted : MemberStatus.Normal;
      const fields = {
        role: 'member' as const,
        status,
        muteUntil: status === MemberStatus.Muted ? (row?.muteUntil ?? null) : null,
        active: true,
        remark: dto.remark ?? '',
        joinedAt: new Date(),
      };
      const members = m.getRepository(SecretChannelMember);
      if (row) {
        await members.update({ id: row.id }, fields);
      } else {
        await insertRow(m, SecretChannelMember, { channelId: channel.id, accountId: dto.accountID, ...fields });
      }
      await this.audit.record(m, {
        actorAccountId: dto.accountID,
        appKey: caller.appKey,
        action: pending ? 'secret-channel.join-request' : 'secret-channel.join',
        entityType: MEMBER_ENTITY,
        entityId: `${channel.channelNumber}:${dto.accountID}`,
        before: row ? { active: row.active, status: row.status, role: row.role } : null,
        after: { active: true, status, role: 'member', memberCount: channel.memberCount + (pending ? 0 : 1) },
        remark: dto.remark,
      });
      await this.events.record(m, {
        event: pending ? 'secret_channel.join_requested' : 'secret_channel.member_joined',
        channelNumber: channel.channelNumber ?? '',
        actorAccountId: dto.accountID,
        subjectAccountId: dto.accountID,
        before: row ? { active: row.active, memberStatus: row.status } : null,
        after: { active: true, memberStatus: status, role: 'member', remark: dto.remark ?? '' },
      });
      return { channelNumber: channel.channelNumber ?? '', isVerify: pending ? ('1' as const) : ('0' as const) };
    });
    await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, joined.channelNumber);
    return joined;
  }

  /**
   * quitSecretChannel. The membership ends by an UPDATE conditional on it still being active, and the
   * count only moves when that UPDATE changed a row: two quits of one member decrement once.
   */
  async quit(dto: ChannelOfAccountDto, caller: PartnerCaller): Promise<void> {
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      await this.accounts.require(dto.accountID, m);
      const channel = await lockLiveChannel(m, dto.channelNumber);
      const row = await lockMember(m, channel.id, dto.accountID);
      if (!row || !row.active) {
        throw new PartnerError('ME18312');
      }
      if ((await keysBoundTo(m, dto.accountID, channel.id, true)).length > 0) {
        throw new PartnerError('ME18311');
      }
      if (row.role === 'owner') {
        throw new PartnerError('ME18313');
      }
      const ended = await m.getRepository(SecretChannelMember).update({ id: row.id, active: true }, { active: false });
      if (!ended.affected) {
        throw new PartnerError('ME18312');
      }
      // A pending applicant withdrawing never took a seat.
      if (row.status !== MemberStatus.Pending) {
        await this.releaseSeat(m, channel.id);
      }
      await this.audit.record(m, {
        actorAccountId: dto.accountID,
        appKey: caller.appKey,
        action: 'secret-channel.quit',
        entityType: MEMBER_ENTITY,
        entityId: `${dto.channelNumber}:${dto.accountID}`,
        before: { active: true, status: row.status, role: row.role },
        after: { active: false, status: row.status, role: row.role },
      });
      await this.events.record(m, {
        event: 'secret_channel.member_quit',
        channelNumber: dto.channelNumber,
        actorAccountId: dto.accountID,
        subjectAccountId: dto.accountID,
        before: { active: true, memberStatus: effectiveStatus(row), role: row.role },
        after: { active: false },
      });
    });
    await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, dto.channelNumber);
  }

  /**
   * manageSecretChannelUsers infoType 2. The acting account must be the owner, or an active admin
   * (who may manage plain members only). Targets: active members; a pending applicant (1 approves,
   * 3 refuses and blacklists); a blacklisted former member (1 lifts the blacklist). `muteSeconds` with
   * status 2 makes a timed mute; "already that status" compares the effective status, so a timed mute
   * that ran out counts as normal even before the sweeper rewrote the row.
   */
  async setMemberStatus(
    actingAccountId: string,
    targetAccountId: string,
    channelNumber: string,
    curStatus: MemberStatus.Normal | MemberStatus.Muted | MemberStatus.Blacklisted,
    caller: PartnerCaller,
    muteSeconds?: number,
  ): Promise<void> {
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      await this.accounts.require(actingAccountId, m);
      const channel = await lockLiveChannel(m, channelNumber);
      if (targetAccountId === actingAccountId) {
        throw new PartnerError('ME18305');
      }
      const manager = await lockMember(m, channel.id, actingAccountId);
      const isOwner = channel.ownerAccountId === actingAccountId;
      const isAdmin =
        manager?.active === true &&
        manager.role === 'admin' &&
        (manager.status === MemberStatus.Normal || manager.status === MemberStatus.Muted);
      if (!isOwner && !isAdmin) {
        throw new PartnerError('ME18306');
      }
      const target = await lockMember(m, channel.id, targetAccountId);
      const formerBlacklisted = target !== null && !target.active && target.status === MemberStatus.Blacklisted;
      if (!target || (!target.active && !formerBlacklisted)) {
        throw new PartnerError('ME18312');
      }
      if (target.role === 'owner' || (!isOwner && target.role !== 'member')) {
        throw new PartnerError('ME18306');
      }
      const now = new Date();
      const current = effectiveStatus(target, now);
      if (current === curStatus) {
        throw new PartnerError('ME18105');
      }
      const members = m.getRepository(SecretChannelMember);
      let active = target.active;
      if (formerBlacklisted && curStatus !== MemberStatus.Normal) {
        // Someone who left can only have the blacklist lifted, not be muted.
        throw new PartnerError('ME18312');
      }
      if (target.status === MemberStatus.Pending) {
        if (curStatus === MemberStatus.Muted) {
          throw new PartnerError('ME18312');
        }
        if (curStatus === MemberStatus.Normal && !(await this.takeSeat(m, channel.id))) {
          throw new PartnerError('ME18108');
        }
        if (curStatus === MemberStatus.Blacklisted) {
          active = false;
        }
      }
      let keysUnbound = 0;
      if (curStatus === MemberStatus.Blacklisted && target.active) {
        // A blacklisted member may not have a key on the channel (API.md 5.2): its bindings end here.
        keysUnbound =
          (await m.getRepository(SecretChannelKeyBinding).delete({ accountId: targetAccountId, channelId: channel.id }))
            .affected ?? 0;
      }
      const muteUntil =
        curStatus === MemberStatus.Muted && muteSeconds !== undefined
          ? new Date(now.getTime() + muteSeconds * 1000)
          : null;
      await members.update({ id: target.id }, { status: curStatus, active, muteUntil });
      const muteField = (at: Date | null): Record<string, string> => (at ? { muteUntil: unixSeconds(at) } : {});
      await this.audit.record(m, {
        actorAccountId: actingAccountId,
        appKey: caller.appKey,
        action: 'secret-channel.member-status',
        entityType: MEMBER_ENTITY,
        entityId: `${channelNumber}:${targetAccountId}`,
        before: { status: current, active: target.active },
        after: { status: curStatus, active, keysUnbound, ...muteField(muteUntil) },
      });
      // Approving a join request is the moment the applicant joins; every other change is a status change.
      const approved = target.status === MemberStatus.Pending && curStatus === MemberStatus.Normal;
      await this.events.record(m, {
        event: approved ? 'secret_channel.member_joined' : 'secret_channel.member_status_changed',
        channelNumber,
        actorAccountId: actingAccountId,
        subjectAccountId: targetAccountId,
        before: { memberStatus: current, active: target.active },
        after: { memberStatus: curStatus, active, ...muteField(muteUntil) },
      });
    });
    await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, channelNumber);
  }

  /**
   * setUserkeyInfo. The (account, key) primary key holds "one key, one channel"; binding elsewhere
   * moves the row in one atomic upsert. An empty channelNumber unbinds.
   */
  async setKey(dto: SetUserkeyInfoDto, caller: PartnerCaller): Promise<void> {
    const actionType = Number(dto.actionType) as BindableKey;
    // The channels whose view changed (the caller's bindKey): the one the key left and the one it points to now.
    const touched = await this.dataSource.transaction('READ COMMITTED', async (m): Promise<Array<string | null>> => {
      await this.accounts.require(dto.accountID, m);
      const bindings = m.getRepository(SecretChannelKeyBinding);
      if (dto.channelNumber === '') {
        const current = await this.lockBinding(m, dto.accountID, actionType);
        if (!current) {
          return [];
        }
        await bindings.delete({ accountId: dto.accountID, actionType });
        return this.auditKey(m, dto.accountID, actionType, current.channelId, null, caller);
      }
      const channel = await lockLiveChannel(m, dto.channelNumber);
      const row = await lockMember(m, channel.id, dto.accountID);
      if (!row || !row.active || row.status === MemberStatus.Pending) {
        throw new PartnerError('ME18312');
      }
      if (row.status === MemberStatus.Blacklisted) {
        throw new PartnerError('ME18314');
      }
      const current = await this.lockBinding(m, dto.accountID, actionType);
      if (current?.channelId === channel.id) {
        return [];
      }
      await m.query(
        `INSERT INTO secret_channel_key_binding (account_id, action_type, channel_id, bound_at)
         VALUES (?, ?, ?, CURRENT_TIMESTAMP(3))
         ON DUPLICATE KEY UPDATE channel_id = VALUES(channel_id), bound_at = VALUES(bound_at)`,
        [dto.accountID, actionType, channel.id],
      );
      return this.auditKey(m, dto.accountID, actionType, current?.channelId ?? null, channel.id, caller);
    });
    for (const channelNumber of touched) {
      if (channelNumber) {
        await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, channelNumber);
      }
    }
  }

  private lockBinding(
    m: EntityManager,
    accountId: string,
    actionType: BindableKey,
  ): Promise<SecretChannelKeyBinding | null> {
    return m
      .getRepository(SecretChannelKeyBinding)
      .createQueryBuilder('k')
      .setLock('pessimistic_write')
      .where('k.accountId = :accountId AND k.actionType = :actionType', { accountId, actionType })
      .getOne();
  }

  private async auditKey(
    m: EntityManager,
    accountId: string,
    actionType: BindableKey,
    fromChannelId: string | null,
    toChannelId: string | null,
    caller: PartnerCaller,
  ): Promise<Array<string | null>> {
    const numberOf = async (id: string | null): Promise<string | null> =>
      id === null
        ? null
        : ((await m.getRepository(SecretChannel).findOne({ where: { id }, select: { channelNumber: true } }))
            ?.channelNumber ?? null);
    const [from, to] = [await numberOf(fromChannelId), await numberOf(toChannelId)];
    await this.audit.record(m, {
      actorAccountId: accountId,
      appKey: caller.appKey,
      action: toChannelId === null ? 'secret-channel.unbind-key' : 'secret-channel.bind-key',
      entityType: KEY_ENTITY,
      entityId: `${accountId}:${actionType}`,
      before: { channelNumber: from },
      after: { channelNumber: to },
    });
    return [from, to];
  }

  /** One more counted member, only while below capacity; false when the channel is full. */
  private async takeSeat(m: EntityManager, channelId: string): Promise<boolean> {
    const result: AffectedRows = await m
      .getRepository(SecretChannel)
      .createQueryBuilder()
      .update()
      .set({ memberCount: () => 'member_count + 1' })
      .where('id = :channelId AND member_count < capacity', { channelId })
      .execute();
    return result.affected === 1;
  }

  private async releaseSeat(m: EntityManager, channelId: string): Promise<void> {
    await m
      .getRepository(SecretChannel)
      .createQueryBuilder()
      .update()
      .set({ memberCount: () => 'member_count - 1' })
      .where('id = :channelId AND member_count > 0', { channelId })
      .execute();
  }
}
