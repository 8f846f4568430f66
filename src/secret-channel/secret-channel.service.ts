import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountService } from '../access/account.service';
import { AuditService } from '../audit/audit.service';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { CatalogService } from '../catalog/catalog.service';
import { PartnerCaller } from '../common/decorators/partner.decorators';
import { PartnerError } from '../common/errors/partner-error';
import { CityService } from '../common/geo/city.service';
import { AppConfig } from '../config/configuration';
import { insertRow } from '../database/query-helpers';
import { SpeechSynthesisProducer } from '../jobs/speech-synthesis/speech-synthesis.producer';
import { EventOutboxService } from '../partner-events/event-outbox.service';
import { ApplySecretChannelDto, ChannelOfAccountDto, TransferSecretChannelDto } from './dto/secret-channel.dto';
import { ApplySecretChannelResponseDto } from './dto/secret-channel.response.dto';
import { SecretChannelKeyBinding } from './entities/secret-channel-key-binding.entity';
import { MemberStatus, SecretChannelMember } from './entities/secret-channel-member.entity';
import { ChannelStatus, SecretChannel } from './entities/secret-channel.entity';
import {
  CHANNEL_ENTITY,
  countLiveChannelsOf,
  isDuplicateKey,
  lockAccounts,
  lockChannelByNumber,
  lockLiveChannel,
  lockMember,
  ownsLiveChannelNamed,
  SECRET_CHANNEL_TOPIC,
} from './secret-channel.store';

export const VOICE_OWNER_KIND = 'secret-channel';
/** What the speech-synthesis job speaks for a group channel (API.md 5.1). */
export const VOICE_TEXT_PREFIX = '群聊频道';
const LIVE_NAME_INDEX = 'uq_secret_channel_owner_live_name';

/** channelNumber from the row id: 9 digits zero-padded, 10 past 999,999,999 (API.md 5.1). */
export function channelNumberOf(id: string | number): string {
  return String(id).padStart(9, '0');
}

/** Channel lifecycle (apply, company status, transfer, dissolve) and what callers read about channels. */
@Injectable()
export class SecretChannelService implements OnModuleInit {
  private readonly logger = new Logger(SecretChannelService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly accounts: AccountService,
    private readonly catalogs: CatalogService,
    private readonly cities: CityService,
    private readonly audit: AuditService,
    private readonly speech: SpeechSynthesisProducer,
    private readonly events: EventOutboxService,
    private readonly invalidation: CacheInvalidationService,
  ) {}

  onModuleInit(): void {
    this.speech.registerOwnerWriter(
      VOICE_OWNER_KIND,
      (channelNumber, url) => this.writeVoiceUrl(channelNumber, url),
      (createdBefore, limit) => this.channelsWithoutVoice(createdBefore, limit),
    );
  }

  /**
   * applySecretChannel. The owner's account row is locked for the whole transaction, so applies of
   * one owner run one after the other and the limit and same-name checks hold under concurrency;
   * the unique key on (owner, live_name) backs the name rule up in the database itself.
   */
  async apply(dto: ApplySecretChannelDto, caller: PartnerCaller): Promise<ApplySecretChannelResponseDto> {
    const cityName = this.cities.nameOf(dto.channelCityCode);
    if (cityName === null) {
      throw PartnerError.badParam('channelCityCode');
    }
    const catalog = await this.catalogs.requireUsable(dto.channelCatalogID, 'group');
    let created: ApplySecretChannelResponseDto;
    try {
      created = await this.dataSource.transaction('READ COMMITTED', async (m) => {
        const existing = await lockAccounts(m, [dto.accountID]);
        if (!existing.has(dto.accountID)) {
          throw new PartnerError('ME18053');
        }
        if ((await countLiveChannelsOf(m, dto.accountID)) >= this.config.channels.maxPerUser) {
          throw new PartnerError('ME18106');
        }
        if (await ownsLiveChannelNamed(m, dto.accountID, dto.channelName)) {
          throw new PartnerError('ME18104');
        }
        const repo = m.getRepository(SecretChannel);
        const id = await insertRow(m, SecretChannel, {
          ownerAccountId: dto.accountID,
          name: dto.channelName,
          liveName: dto.channelName,
          introduction: dto.channelIntroduction,
          cityCode: dto.channelCityCode,
          cityName,
          catalogId: catalog.catalogId,
          catalogName: catalog.name,
          logoUrl: dto.channelCatalogUrl ?? '',
          keywords: dto.channelKeyWords ?? '',
          openType: Number(dto.openType),
          isVerify: Number(dto.isVerify ?? '0'),
          capacity: this.config.channels.capacity,
          memberCount: 1,
          status: ChannelStatus.Normal,
          appKey: caller.appKey,
        });
        const channelNumber = channelNumberOf(id);
        const uniqueCode = `${channelNumber}|${randomBytes(16).toString('hex')}`;
        await repo.update({ id }, { channelNumber, uniqueCode });
        await insertRow(m, SecretChannelMember, {
          channelId: id,
          accountId: dto.accountID,
          role: 'owner',
          status: MemberStatus.Normal,
          active: true,
          joinedAt: new Date(),
        });
        const channel = await repo.findOneByOrFail({ id });
        await this.audit.record(m, {
          actorAccountId: dto.accountID,
          appKey: caller.appKey,
          action: 'secret-channel.apply',
          entityType: CHANNEL_ENTITY,
          entityId: channelNumber,
          before: null,
          after: this.snapshot(channel),
        });
        await this.events.record(m, {
          event: 'secret_channel.created',
          channelNumber,
          actorAccountId: dto.accountID,
          after: this.snapshot(channel),
        });
        return { channelNumber, uniqueCode };
      });
    } catch (err) {
      if (isDuplicateKey(err, LIVE_NAME_INDEX)) {
        throw new PartnerError('ME18104');
      }
      throw err;
    }
    await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, created.channelNumber);
    await this.queueVoice(created.channelNumber, dto.channelName);
    return created;
  }

  /** A failure to queue the spoken name never fails the apply (API.md 5.1): the URL just stays empty. */
  private async queueVoice(channelNumber: string, name: string): Promise<void> {
    try {
      await this.speech.enqueue(VOICE_TEXT_PREFIX + name, { kind: VOICE_OWNER_KIND, id: channelNumber });
    } catch (err) {
      this.logger.warn({
        msg: 'could not queue the channel name for speech synthesis',
        channelNumber,
        err: (err as Error).message,
      });
    }
  }

  /** Live channels whose spoken name never arrived (the stuck-job sweep queues them again). */
  async channelsWithoutVoice(createdBefore: Date, limit: number): Promise<Array<{ id: string; text: string }>> {
    const rows = await this.dataSource
      .getRepository(SecretChannel)
      .createQueryBuilder('c')
      .select(['c.channelNumber', 'c.name'])
      .where(
        "c.status = :status AND c.voiceUrl = '' AND c.createdAt < :createdBefore AND c.channelNumber IS NOT NULL",
        {
          status: ChannelStatus.Normal,
          createdBefore,
        },
      )
      .orderBy('c.id', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map((c) => ({ id: c.channelNumber ?? '', text: VOICE_TEXT_PREFIX + c.name }));
  }

  /** The speech-synthesis job's write-back; false when the channel row does not exist. */
  async writeVoiceUrl(channelNumber: string, url: string): Promise<boolean> {
    const found = await this.dataSource.transaction('READ COMMITTED', async (m) => {
      const channel = await lockChannelByNumber(m, channelNumber);
      if (!channel) {
        return false;
      }
      if (channel.voiceUrl !== url) {
        await m.getRepository(SecretChannel).update({ id: channel.id }, { voiceUrl: url });
        await this.audit.record(m, {
          action: 'secret-channel.voice',
          entityType: CHANNEL_ENTITY,
          entityId: channelNumber,
          before: { voiceURL: channel.voiceUrl },
          after: { voiceURL: url },
        });
      }
      return true;
    });
    if (found) {
      await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, channelNumber);
    }
    return found;
  }

  /**
   * manageSecretChannelUsers infoType 1: the company closes (2) or reopens (1) a channel. Memberships
   * and key bindings are kept as they are, so reopening restores them. `caller.appKey` is null for the
   * operators' console.
   */
  async setChannelStatus(
    actingAccountId: string,
    channelNumber: string,
    curStatus: ChannelStatus,
    caller: { appKey: string | null },
  ): Promise<void> {
    await this.accounts.requireRole(actingAccountId, 'operator');
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      const channel = await lockChannelByNumber(m, channelNumber);
      if (!channel || channel.status === ChannelStatus.Dissolved) {
        throw new PartnerError('ME18109');
      }
      if (channel.status === curStatus) {
        throw new PartnerError('ME18105');
      }
      await m.getRepository(SecretChannel).update({ id: channel.id }, { status: curStatus });
      await this.audit.record(m, {
        actorAccountId: actingAccountId,
        appKey: caller.appKey,
        action: curStatus === ChannelStatus.Closed ? 'secret-channel.close' : 'secret-channel.reopen',
        entityType: CHANNEL_ENTITY,
        entityId: channelNumber,
        before: { status: channel.status },
        after: { status: curStatus },
      });
      await this.events.record(m, {
        event: 'secret_channel.status_changed',
        channelNumber,
        actorAccountId: actingAccountId,
        before: { channelStatus: channel.status },
        after: { channelStatus: curStatus },
      });
    });
    await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, channelNumber);
  }

  /**
   * transferSecretChannel: the receiver (an active, not blacklisted member) becomes the owner and the
   * old owner stays as a member. The receiver's own limit and same-name rule apply as for an apply.
   */
  async transfer(dto: TransferSecretChannelDto, caller: PartnerCaller): Promise<void> {
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      await this.accounts.require(dto.accountID, m);
      const channel = await lockLiveChannel(m, dto.channelNumber);
      if (channel.ownerAccountId !== dto.accountID) {
        throw new PartnerError('ME18306');
      }
      if (dto.receiverAccountID === dto.accountID) {
        throw new PartnerError('ME18305');
      }
      const existing = await lockAccounts(m, [dto.accountID, dto.receiverAccountID]);
      if (!existing.has(dto.receiverAccountID)) {
        throw new PartnerError('ME18053');
      }
      const receiver = await lockMember(m, channel.id, dto.receiverAccountID);
      if (!receiver || !receiver.active || receiver.status === MemberStatus.Pending) {
        throw new PartnerError('ME18312');
      }
      if (receiver.status === MemberStatus.Blacklisted) {
        throw new PartnerError('ME18314');
      }
      if ((await countLiveChannelsOf(m, dto.receiverAccountID)) >= this.config.channels.maxPerUser) {
        throw new PartnerError('ME18106');
      }
      if (await ownsLiveChannelNamed(m, dto.receiverAccountID, channel.name)) {
        throw new PartnerError('ME18104');
      }
      const oldOwner = await lockMember(m, channel.id, dto.accountID);
      await m.getRepository(SecretChannel).update({ id: channel.id }, { ownerAccountId: dto.receiverAccountID });
      const members = m.getRepository(SecretChannelMember);
      if (oldOwner) {
        await members.update({ id: oldOwner.id }, { role: 'member' });
      }
      // An owner is never muted: the status it had as a member does not follow it.
      await members.update({ id: receiver.id }, { role: 'owner', status: MemberStatus.Normal, muteUntil: null });
      await this.audit.record(m, {
        actorAccountId: dto.accountID,
        appKey: caller.appKey,
        action: 'secret-channel.transfer',
        entityType: CHANNEL_ENTITY,
        entityId: dto.channelNumber,
        before: { ownerAccountID: dto.accountID, receiverRole: receiver.role, receiverStatus: receiver.status },
        after: { ownerAccountID: dto.receiverAccountID, previousOwnerRole: 'member' },
      });
      await this.events.record(m, {
        event: 'secret_channel.transferred',
        channelNumber: dto.channelNumber,
        actorAccountId: dto.accountID,
        subjectAccountId: dto.receiverAccountID,
        before: { ownerAccountID: dto.accountID },
        after: { ownerAccountID: dto.receiverAccountID },
      });
    });
    await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, dto.channelNumber);
  }

  /** dissolveSecretChannel: status 3; every membership and key binding of the channel ends. */
  async dissolve(dto: ChannelOfAccountDto, caller: PartnerCaller): Promise<void> {
    await this.dataSource.transaction('READ COMMITTED', async (m) => {
      await this.accounts.require(dto.accountID, m);
      const channel = await lockLiveChannel(m, dto.channelNumber);
      if (channel.ownerAccountId !== dto.accountID) {
        throw new PartnerError('ME18306');
      }
      await m
        .getRepository(SecretChannel)
        .update({ id: channel.id }, { status: ChannelStatus.Dissolved, liveName: null, memberCount: 0 });
      const ended = await m
        .getRepository(SecretChannelMember)
        .update({ channelId: channel.id, active: true }, { active: false });
      const unbound = await m.getRepository(SecretChannelKeyBinding).delete({ channelId: channel.id });
      await this.audit.record(m, {
        actorAccountId: dto.accountID,
        appKey: caller.appKey,
        action: 'secret-channel.dissolve',
        entityType: CHANNEL_ENTITY,
        entityId: dto.channelNumber,
        before: { status: channel.status, memberCount: channel.memberCount },
        after: {
          status: ChannelStatus.Dissolved,
          memberCount: 0,
          membershipsEnded: ended.affected ?? 0,
          keysUnbound: unbound.affected ?? 0,
        },
      });
      await this.events.record(m, {
        event: 'secret_channel.dissolved',
        channelNumber: dto.channelNumber,
        actorAccountId: dto.accountID,
        before: { channelStatus: channel.status, memberCount: channel.memberCount },
        after: { channelStatus: ChannelStatus.Dissolved, memberCount: 0 },
      });
    });
    await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, dto.channelNumber);
  }

  private snapshot(c: SecretChannel): Record<string, unknown> {
    return {
      channelNumber: c.channelNumber,
      name: c.name,
      introduction: c.introduction,
      cityCode: c.cityCode,
      catalogID: c.catalogId,
      logoURL: c.logoUrl,
      keywords: c.keywords,
      openType: c.openType,
      isVerify: c.isVerify,
      capacity: c.capacity,
      memberCount: c.memberCount,
      status: c.status,
      ownerAccountID: c.ownerAccountId,
    };
  }
}
