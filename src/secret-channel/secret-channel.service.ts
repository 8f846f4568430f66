import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountService } from '../access/account.service';
import { AuditService } from '../audit/audit.service';
import { CatalogService } from '../catalog/catalog.service';
import { PartnerCaller } from '../common/decorators/partner.decorators';
import { PartnerError } from '../common/errors/partner-error';
import { CityService } from '../common/geo/city.service';
import { AppConfig } from '../config/configuration';
import { SpeechSynthesisProducer } from '../jobs/speech-synthesis/speech-synthesis.producer';
import {
  ApplySecretChannelDto,
  ChannelOfAccountDto,
  FetchSecretChannelDto,
  TransferSecretChannelDto,
} from './dto/secret-channel.dto';
import {
  ApplySecretChannelResponseDto,
  FetchSecretChannelResponseDto,
  SecretChannelResponseDto,
} from './dto/secret-channel.response.dto';
import { SecretChannelKeyBinding } from './entities/secret-channel-key-binding.entity';
import { MemberStatus, SecretChannelMember } from './entities/secret-channel-member.entity';
import { containsPattern } from '../database/query-helpers';
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
  unixSeconds,
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
  ) {}

  onModuleInit(): void {
    this.speech.registerOwnerWriter(VOICE_OWNER_KIND, (channelNumber, url) => this.writeVoiceUrl(channelNumber, url));
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
        const inserted = await repo.insert({
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
        const id = String((inserted.identifiers[0] as { id: string | number }).id);
        const channelNumber = channelNumberOf(id);
        const uniqueCode = `${channelNumber}|${randomBytes(16).toString('hex')}`;
        await repo.update({ id }, { channelNumber, uniqueCode });
        await m.getRepository(SecretChannelMember).insert({
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
        return { channelNumber, uniqueCode };
      });
    } catch (err) {
      if (isDuplicateKey(err, LIVE_NAME_INDEX)) {
        throw new PartnerError('ME18104');
      }
      throw err;
    }
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

  /** The speech-synthesis job's write-back; false when the channel row does not exist. */
  async writeVoiceUrl(channelNumber: string, url: string): Promise<boolean> {
    return this.dataSource.transaction('READ COMMITTED', async (m) => {
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
  }

  /**
   * manageSecretChannelUsers infoType 1: the company closes (2) or reopens (1) a channel. Memberships
   * and key bindings are kept as they are, so reopening restores them.
   */
  async setChannelStatus(
    actingAccountId: string,
    channelNumber: string,
    curStatus: ChannelStatus,
    caller: PartnerCaller,
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
    });
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
      await members.update({ id: receiver.id }, { role: 'owner', status: MemberStatus.Normal });
      await this.audit.record(m, {
        actorAccountId: dto.accountID,
        appKey: caller.appKey,
        action: 'secret-channel.transfer',
        entityType: CHANNEL_ENTITY,
        entityId: dto.channelNumber,
        before: { ownerAccountID: dto.accountID, receiverRole: receiver.role, receiverStatus: receiver.status },
        after: { ownerAccountID: dto.receiverAccountID, previousOwnerRole: 'member' },
      });
    });
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
    });
  }

  /** getSecretChannelInfo: a live channel as the caller sees it. */
  async info(dto: ChannelOfAccountDto): Promise<SecretChannelResponseDto> {
    await this.accounts.require(dto.accountID);
    const channel = await this.dataSource.getRepository(SecretChannel).findOneBy({ channelNumber: dto.channelNumber });
    if (!channel || channel.status !== ChannelStatus.Normal) {
      throw new PartnerError('ME18109');
    }
    const [views] = await this.viewsFor(dto.accountID, [channel]);
    return views;
  }

  /** fetchSecretChannel: 1 public open channels (most members first), 2 owned, 3 joined (newest first). */
  async fetch(dto: FetchSecretChannelDto): Promise<FetchSecretChannelResponseDto> {
    await this.accounts.require(dto.accountID);
    const startPage = Number(dto.startPage ?? '1');
    const pageCount = Number(dto.pageCount ?? '20');
    const qb = this.dataSource.getRepository(SecretChannel).createQueryBuilder('c');
    if (dto.infoType === '1') {
      qb.where('c.openType = 1 AND c.status = :normal', { normal: ChannelStatus.Normal })
        .orderBy('c.memberCount', 'DESC')
        .addOrderBy('c.id', 'ASC');
    } else if (dto.infoType === '2') {
      qb.where('c.ownerAccountId = :me AND c.status IN (:...live)', {
        me: dto.accountID,
        live: [ChannelStatus.Normal, ChannelStatus.Closed],
      }).orderBy('c.id', 'DESC');
    } else {
      qb.innerJoin(SecretChannelMember, 'mb', 'mb.channelId = c.id')
        .where("mb.accountId = :me AND mb.active = 1 AND mb.role <> 'owner' AND c.status IN (:...live)", {
          me: dto.accountID,
          live: [ChannelStatus.Normal, ChannelStatus.Closed],
        })
        .orderBy('c.id', 'DESC');
    }
    if (dto.cityCode !== undefined) {
      qb.andWhere('c.cityCode = :cityCode', { cityCode: dto.cityCode });
    }
    if (dto.catalogID !== undefined) {
      qb.andWhere('c.catalogId = :catalogId', { catalogId: dto.catalogID });
    }
    if (dto.channelName !== undefined) {
      qb.andWhere("c.name COLLATE utf8mb4_unicode_ci LIKE :name ESCAPE '!'", {
        name: containsPattern(dto.channelName),
      });
    }
    if (dto.channelKeyWords !== undefined) {
      qb.andWhere("c.keywords LIKE :keyword ESCAPE '!'", { keyword: containsPattern(dto.channelKeyWords) });
    }
    const [channels, total] = await qb
      .skip((startPage - 1) * pageCount)
      .take(pageCount)
      .getManyAndCount();
    return { count: String(total), list: await this.viewsFor(dto.accountID, channels) };
  }

  private async viewsFor(accountId: string, channels: SecretChannel[]): Promise<SecretChannelResponseDto[]> {
    if (channels.length === 0) {
      return [];
    }
    const ids = channels.map((c) => c.id);
    const [memberships, bindings] = await Promise.all([
      this.dataSource
        .getRepository(SecretChannelMember)
        .createQueryBuilder('mb')
        .where('mb.accountId = :accountId AND mb.channelId IN (:...ids)', { accountId, ids })
        .getMany(),
      this.dataSource
        .getRepository(SecretChannelKeyBinding)
        .createQueryBuilder('k')
        .where('k.accountId = :accountId AND k.channelId IN (:...ids)', { accountId, ids })
        .orderBy('k.actionType', 'ASC')
        .getMany(),
    ]);
    const membershipOf = new Map(memberships.map((mb) => [mb.channelId, mb]));
    return channels.map((c) => {
      const membership = membershipOf.get(c.id);
      const joined = membership?.active === true;
      const seesCode = c.openType === 1 || (joined && membership.status !== MemberStatus.Pending);
      return {
        channelNumber: c.channelNumber ?? '',
        channelName: c.name,
        channelIntroduction: c.introduction,
        cityCode: c.cityCode,
        cityName: c.cityName,
        catalogID: c.catalogId,
        catalogName: c.catalogName,
        logoURL: c.logoUrl,
        keyWords: c.keywords,
        openType: String(c.openType),
        isVerify: String(c.isVerify),
        capacity: String(c.capacity),
        memberCount: String(c.memberCount),
        ownerAccountID: c.ownerAccountId,
        channelStatus: String(c.status),
        voiceURL: c.voiceUrl,
        createTime: unixSeconds(c.createdAt),
        uniqueCode: seesCode ? (c.uniqueCode ?? '') : '',
        isJoined: joined ? '1' : '0',
        role: joined ? membership.role : '',
        memberStatus: joined ? String(membership.status) : '',
        bindKey: bindings
          .filter((k) => k.channelId === c.id)
          .map((k) => String(k.actionType))
          .join(','),
      };
    });
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
