import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AccountService } from '../access/account.service';
import { Account } from '../access/entities/account.entity';
import { AuditService } from '../audit/audit.service';
import { CatalogService } from '../catalog/catalog.service';
import { PartnerError } from '../common/errors/partner-error';
import { CityService } from '../common/geo/city.service';
import { SpeechSynthesisFailedError, VoiceClipRef } from '../jobs/speech-synthesis/speech-synthesis.job';
import { SpeechSynthesisProducer } from '../jobs/speech-synthesis/speech-synthesis.producer';
import { ApplicationStatus, MicroChannelApplication } from './entities/micro-channel-application.entity';
import { changedFields, copyContent, MicroChannelContent } from './entities/micro-channel-content';
import { containsPattern } from '../database/query-helpers';
import { EditStatus, MicroChannelEdit } from './entities/micro-channel-edit.entity';
import { MicroChannel, MicroChannelStatus } from './entities/micro-channel.entity';

/** Open (pending) applications one account may have at a time (API.md 5.6). */
export const MAX_OPEN_APPLICATIONS = 3;
/** The spoken name of a micro channel is this prefix followed by its name. */
export const VOICE_PREFIX = '微频道';

export interface ReviewActor {
  /** The reviewer (role `reviewer`), or the owner for the owner's own actions. */
  accountId: string;
  /** The partner app the request came through; null for the admin console. */
  appKey: string | null;
}

export interface ReviewOptions {
  /**
   * Epoch milliseconds by which speech synthesis must have finished. Partner requests must be
   * answered within 5 s while TTS_TIMEOUT_MS may be longer; a synthesis still running at the
   * deadline counts as failed (ME18307), so no approval lands after the caller was answered.
   */
  synthesisDeadline?: number;
}

/** The owner's description of a micro channel as partner parameters carry it (raw, not yet resolved). */
export interface ContentInput {
  channelName: string;
  channelIntroduction: string;
  chiefAnnouncerIntr: string;
  channelCityCode: string;
  channelCatalogID: string;
  channelCatalogUrl?: string;
  channelKeyWords?: string;
}

export type EditDecision = 'reject' | 'approve';
export type ChannelDecision = EditDecision | 'close' | 'reopen';

export interface EditListQuery {
  cityCode?: string;
  catalogId?: string;
  /** The proposed name contains this text. */
  channelName?: string;
  /** The channel number contains this text, in any case. */
  channelNumber?: string;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface EditListPage {
  total: number;
  /** Each with its `channel` loaded. */
  items: Array<MicroChannelEdit & { channel: MicroChannel }>;
}

export interface EditWithChannel {
  edit: MicroChannelEdit;
  channel: MicroChannel;
  /** Content fields the edit would change on the live channel now. */
  changes: Array<keyof MicroChannelContent>;
}

const EDIT_STATUS_NAMES: Record<EditStatus, string> = {
  [EditStatus.Pending]: 'pending',
  [EditStatus.Rejected]: 'rejected',
  [EditStatus.Approved]: 'approved',
  [EditStatus.Superseded]: 'superseded',
};
const APPLICATION_STATUS_NAMES: Record<ApplicationStatus, string> = {
  [ApplicationStatus.Pending]: 'pending',
  [ApplicationStatus.Rejected]: 'rejected',
  [ApplicationStatus.Approved]: 'approved',
};
const CHANNEL_STATUS_NAMES: Record<MicroChannelStatus, string> = {
  [MicroChannelStatus.Open]: 'open',
  [MicroChannelStatus.Closed]: 'closed',
};

export function editStatusName(status: EditStatus): string {
  return EDIT_STATUS_NAMES[status];
}

export function applicationStatusName(status: ApplicationStatus): string {
  return APPLICATION_STATUS_NAMES[status];
}

export function channelStatusName(status: MicroChannelStatus): string {
  return CHANNEL_STATUS_NAMES[status];
}

/** Numbers are unique regardless of case; this is the form the unique keys hold. */
export function numberKeyOf(channelNumber: string): string {
  return channelNumber.toLowerCase();
}

function affectedRows(result: { affected?: number | null }): number {
  return result.affected ?? 0;
}

function isDuplicateKey(err: unknown, keyName: string): boolean {
  const driverError = (err as { driverError?: { code?: string; sqlMessage?: string } }).driverError;
  return driverError?.code === 'ER_DUP_ENTRY' && (driverError.sqlMessage ?? '').includes(keyName);
}

function contentAudit(content: MicroChannelContent): Record<string, unknown> {
  return { ...copyContent(content) };
}

/**
 * Micro channels from application to re-review (API.md 5.4, 5.6): owners apply, reviewers approve
 * (first review), owners file edits, reviewers re-review them and close or reopen channels. Every
 * state change is a conditional update from the expected status, so concurrent decisions on the
 * same request produce exactly one decision, and every decision writes an audit row in the same
 * transaction. The partner routes and the admin console both decide through this service.
 */
@Injectable()
export class MicroChannelReviewService {
  private readonly logger = new Logger(MicroChannelReviewService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MicroChannelApplication) private readonly applications: Repository<MicroChannelApplication>,
    @InjectRepository(MicroChannel) private readonly channels: Repository<MicroChannel>,
    @InjectRepository(MicroChannelEdit) private readonly edits: Repository<MicroChannelEdit>,
    private readonly accounts: AccountService,
    private readonly catalogs: CatalogService,
    private readonly cities: CityService,
    private readonly audit: AuditService,
    private readonly speech: SpeechSynthesisProducer,
  ) {}

  /** ME18306 unless the account has the reviewer role (ME18053 when it does not exist). */
  async requireReviewer(accountId: string): Promise<void> {
    await this.accounts.requireRole(accountId, 'reviewer');
  }

  // ---------------------------------------------------------------- applications and first review

  /**
   * applyMicroChannel. Order: city and catalog resolve (ME01023) -> account exists (ME18053) ->
   * fewer than 3 open applications (ME18106) -> number free among live channels and pending
   * applications (ME18104). Both limits hold under concurrent requests.
   */
  async apply(owner: ReviewActor & { appKey: string }, channelNumber: string, input: ContentInput): Promise<string> {
    const content = await this.resolveContent(input);
    await this.accounts.require(owner.accountId);
    const numberKey = numberKeyOf(channelNumber);
    return this.dataSource.transaction(async (m) => {
      // Serialises the applications of one owner, so the open-application count cannot be overrun.
      await m
        .getRepository(Account)
        .createQueryBuilder('a')
        .setLock('pessimistic_write')
        .where('a.accountId = :id', { id: owner.accountId })
        .getOne();
      const open = await m.getRepository(MicroChannelApplication).countBy({
        accountId: owner.accountId,
        status: ApplicationStatus.Pending,
      });
      if (open >= MAX_OPEN_APPLICATIONS) {
        throw new PartnerError('ME18106');
      }
      const application = m.getRepository(MicroChannelApplication).create({
        accountId: owner.accountId,
        channelNumber,
        pendingNumberKey: numberKey,
        content,
        status: ApplicationStatus.Pending,
        appKey: owner.appKey,
        checkRemark: '',
      });
      try {
        await m.getRepository(MicroChannelApplication).insert(application);
      } catch (err) {
        if (isDuplicateKey(err, 'uq_mc_application_pending_number')) {
          throw new PartnerError('ME18104');
        }
        throw err;
      }
      // Checked after claiming the pending number and with a locking read, so an approval of the
      // same number committing meanwhile is seen (or waits for us) instead of slipping past.
      const live: unknown = await m
        .getRepository(MicroChannel)
        .createQueryBuilder('c')
        .select('c.id')
        .setLock('pessimistic_write')
        .where('c.numberKey = :key', { key: numberKey })
        .getRawOne();
      if (live !== undefined) {
        throw new PartnerError('ME18104');
      }
      await this.audit.record(m, {
        actorAccountId: owner.accountId,
        appKey: owner.appKey,
        action: 'micro-channel.application.create',
        entityType: 'micro-channel-application',
        entityId: application.id,
        before: null,
        after: { status: applicationStatusName(ApplicationStatus.Pending), channelNumber, ...contentAudit(content) },
      });
      return application.id;
    });
  }

  /**
   * checkApplyMicroChannel. Order: reviewer role (ME18306) -> application exists (ME01023 applyIdx)
   * -> still pending (ME18104) -> approve only: number still free (ME18104) -> speech synthesis
   * (ME18307, nothing changes) -> one transaction creating the live channel.
   */
  async reviewApplication(
    reviewer: ReviewActor,
    applyIdx: string,
    decision: EditDecision,
    remark: string,
    options: ReviewOptions = {},
  ): Promise<void> {
    await this.requireReviewer(reviewer.accountId);
    const application = await this.applications.findOneBy({ id: applyIdx });
    if (!application) {
      throw PartnerError.badParam('applyIdx');
    }
    if (application.status !== ApplicationStatus.Pending) {
      throw new PartnerError('ME18104');
    }
    const numberKey = numberKeyOf(application.channelNumber);
    let voice: VoiceClipRef | null = null;
    if (decision === 'approve') {
      if (await this.channels.existsBy({ numberKey })) {
        throw new PartnerError('ME18104');
      }
      voice = await this.synthesize(application.content.name, options);
    }
    const newStatus = decision === 'approve' ? ApplicationStatus.Approved : ApplicationStatus.Rejected;
    await this.dataSource.transaction(async (m) => {
      const decided = await m
        .createQueryBuilder()
        .update(MicroChannelApplication)
        .set({
          status: newStatus,
          pendingNumberKey: null,
          reviewerAccountId: reviewer.accountId,
          reviewedAt: new Date(),
          checkRemark: remark,
          checkAppKey: reviewer.appKey,
        })
        .where('id = :id AND status = :pending', { id: application.id, pending: ApplicationStatus.Pending })
        .execute();
      if (affectedRows(decided) !== 1) {
        throw new PartnerError('ME18104');
      }
      let channel: MicroChannel | null = null;
      if (voice) {
        channel = m.getRepository(MicroChannel).create({
          channelNumber: application.channelNumber,
          numberKey,
          accountId: application.accountId,
          content: copyContent(application.content),
          voiceUrl: voice.url,
          voiceClipId: voice.clipId,
          status: MicroChannelStatus.Open,
          applicationId: application.id,
        });
        try {
          await m.getRepository(MicroChannel).insert(channel);
        } catch (err) {
          if (isDuplicateKey(err, 'uq_micro_channel_number_key')) {
            throw new PartnerError('ME18104');
          }
          throw err;
        }
        await m.getRepository(MicroChannelApplication).update({ id: application.id }, { channelId: channel.id });
      }
      await this.audit.record(m, {
        actorAccountId: reviewer.accountId,
        appKey: reviewer.appKey,
        action: `micro-channel.application.${decision}`,
        entityType: 'micro-channel-application',
        entityId: application.id,
        before: { status: applicationStatusName(ApplicationStatus.Pending) },
        after: {
          status: applicationStatusName(newStatus),
          ...(channel
            ? { channelId: channel.id, channelNumber: channel.channelNumber, voiceUrl: channel.voiceUrl }
            : {}),
        },
        remark,
      });
    });
  }

  // ---------------------------------------------------------------- owner: edits and details

  /**
   * modifyMicroChannel. Order: something to change (ME01023 args) -> city and catalog resolve
   * (ME01023) -> account exists (ME18053) -> channel exists and is open (ME18109) -> caller owns it
   * (ME18306). The edit holds the live content with the given fields replaced; a pending edit of the
   * channel is superseded by it.
   */
  async fileEdit(
    owner: ReviewActor & { appKey: string },
    channelNumber: string,
    input: Partial<ContentInput>,
  ): Promise<string> {
    const given = Object.values(input).filter((v) => v !== undefined);
    if (given.length === 0) {
      throw PartnerError.badParam('args');
    }
    const cityName = input.channelCityCode === undefined ? undefined : this.cityNameOf(input.channelCityCode);
    const catalog =
      input.channelCatalogID === undefined
        ? undefined
        : await this.catalogs.requireUsable(input.channelCatalogID, 'micro');
    await this.accounts.require(owner.accountId);
    const found = await this.channels.findOneBy({ numberKey: numberKeyOf(channelNumber) });
    if (!found || found.status !== MicroChannelStatus.Open) {
      throw new PartnerError('ME18109');
    }
    if (found.accountId !== owner.accountId) {
      throw new PartnerError('ME18306');
    }
    return this.dataSource.transaction(async (m) => {
      // The channel row lock orders this edit against concurrent edits, approvals and closes.
      const channel = await this.lockChannel(m, found.id);
      if (channel.status !== MicroChannelStatus.Open) {
        throw new PartnerError('ME18109');
      }
      const content = copyContent(channel.content);
      if (input.channelName !== undefined) {
        content.name = input.channelName;
      }
      if (input.channelIntroduction !== undefined) {
        content.introduction = input.channelIntroduction;
      }
      if (input.chiefAnnouncerIntr !== undefined) {
        content.chiefAnnouncerIntr = input.chiefAnnouncerIntr;
      }
      if (input.channelCityCode !== undefined && cityName !== undefined) {
        content.cityCode = input.channelCityCode;
        content.cityName = cityName;
      }
      if (catalog) {
        content.catalogId = catalog.catalogId;
        content.catalogName = catalog.name;
      }
      if (input.channelCatalogUrl !== undefined) {
        content.logoUrl = input.channelCatalogUrl;
      }
      if (input.channelKeyWords !== undefined) {
        content.keyWords = input.channelKeyWords;
      }
      const previous = await m.getRepository(MicroChannelEdit).findOneBy({ pendingChannelId: channel.id });
      // A reviewer may decide the previous edit meanwhile; it is superseded only if still pending.
      const superseded = previous
        ? await m
            .createQueryBuilder()
            .update(MicroChannelEdit)
            .set({ status: EditStatus.Superseded, pendingChannelId: null })
            .where('id = :id AND status = :pending', { id: previous.id, pending: EditStatus.Pending })
            .execute()
        : null;
      if (previous && superseded && affectedRows(superseded) === 1) {
        await this.audit.record(m, {
          actorAccountId: owner.accountId,
          appKey: owner.appKey,
          action: 'micro-channel.edit.supersede',
          entityType: 'micro-channel-edit',
          entityId: previous.id,
          before: { status: editStatusName(EditStatus.Pending) },
          after: { status: editStatusName(EditStatus.Superseded) },
        });
      }
      const edit = m.getRepository(MicroChannelEdit).create({
        channelId: channel.id,
        pendingChannelId: channel.id,
        accountId: owner.accountId,
        content,
        status: EditStatus.Pending,
        appKey: owner.appKey,
        checkRemark: '',
      });
      await m.getRepository(MicroChannelEdit).insert(edit);
      await this.audit.record(m, {
        actorAccountId: owner.accountId,
        appKey: owner.appKey,
        action: 'micro-channel.edit.create',
        entityType: 'micro-channel-edit',
        entityId: edit.id,
        before: null,
        after: {
          status: editStatusName(EditStatus.Pending),
          channelNumber: channel.channelNumber,
          changes: changedFields(channel.content, content),
          ...contentAudit(content),
        },
      });
      return edit.id;
    });
  }

  /**
   * getMicroChannelInfo. Account exists (ME18053) -> channel exists, and is open unless the caller
   * owns it (ME18109). The pending edit is the owner's business and shown to the owner only.
   */
  async channelInfo(
    accountId: string,
    channelNumber: string,
  ): Promise<{ channel: MicroChannel; pendingEdit: MicroChannelEdit | null }> {
    await this.accounts.require(accountId);
    const channel = await this.channels.findOneBy({ numberKey: numberKeyOf(channelNumber) });
    const isOwner = channel?.accountId === accountId;
    if (!channel || (channel.status !== MicroChannelStatus.Open && !isOwner)) {
      throw new PartnerError('ME18109');
    }
    const pendingEdit = isOwner ? await this.edits.findOneBy({ pendingChannelId: channel.id }) : null;
    return { channel, pendingEdit };
  }

  // ---------------------------------------------------------------- re-review

  /** Pending edits of open channels, oldest first, with the filters of recheckMicroChannel infoType 1. */
  async listPendingEdits(query: EditListQuery): Promise<EditListPage> {
    const qb = this.edits
      .createQueryBuilder('e')
      .innerJoinAndSelect('e.channel', 'c')
      .where('e.status = :pending', { pending: EditStatus.Pending })
      .andWhere('c.status = :open', { open: MicroChannelStatus.Open });
    if (query.cityCode !== undefined) {
      qb.andWhere('e.content.cityCode = :cityCode', { cityCode: query.cityCode });
    }
    if (query.catalogId !== undefined) {
      qb.andWhere('e.content.catalogId = :catalogId', { catalogId: query.catalogId });
    }
    if (query.channelName !== undefined) {
      qb.andWhere("e.content.name LIKE :name ESCAPE '!'", { name: containsPattern(query.channelName) });
    }
    if (query.channelNumber !== undefined) {
      qb.andWhere("c.numberKey LIKE :number ESCAPE '!'", {
        number: containsPattern(numberKeyOf(query.channelNumber)),
      });
    }
    // Many-to-one join: one row per edit, so offset/limit page edits exactly.
    const [items, total] = await qb
      .orderBy('e.id', 'ASC')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .getManyAndCount();
    return { total, items: items as EditListPage['items'] };
  }

  /** One edit with its live channel and what it would change; unknown -> ME01023 applyIdx. */
  async getEdit(applyIdx: string): Promise<EditWithChannel> {
    const edit = await this.edits.findOne({ where: { id: applyIdx }, relations: { channel: true } });
    if (!edit?.channel) {
      throw PartnerError.badParam('applyIdx');
    }
    const { channel } = edit;
    delete edit.channel;
    return { edit, channel, changes: changedFields(channel.content, edit.content) };
  }

  /**
   * recheckMicroChannel infoType 2. Order: reviewer role (ME18306) -> channel exists (ME18109) ->
   * accountID is its owner (ME01023 accountID) -> close/reopen from open/closed only (ME01023
   * checkStatus); reject/approve: channel open (ME18109) -> applyIdx is an edit of this channel
   * (ME01023 applyIdx) -> still pending (ME18104) -> approve: speech synthesis (ME18307).
   */
  async recheck(
    reviewer: ReviewActor,
    target: { ownerAccountId: string; channelNumber: string; applyIdx?: string },
    decision: ChannelDecision,
    remark: string,
    options: ReviewOptions = {},
  ): Promise<void> {
    await this.requireReviewer(reviewer.accountId);
    const channel = await this.channels.findOneBy({ numberKey: numberKeyOf(target.channelNumber) });
    if (!channel) {
      throw new PartnerError('ME18109');
    }
    if (channel.accountId !== target.ownerAccountId) {
      throw PartnerError.badParam('accountID');
    }
    if (decision === 'close' || decision === 'reopen') {
      await this.setChannelStatus(reviewer, channel, decision, remark);
      return;
    }
    if (channel.status !== MicroChannelStatus.Open) {
      throw new PartnerError('ME18109');
    }
    const edit = target.applyIdx === undefined ? null : await this.edits.findOneBy({ id: target.applyIdx });
    if (!edit || edit.channelId !== channel.id) {
      throw PartnerError.badParam('applyIdx');
    }
    await this.decideEdit(reviewer, edit, channel, decision, remark, options);
  }

  /**
   * The admin console's decision on one edit: the same rules as recheckMicroChannel, reached by the
   * edit's id. Order: reviewer role (ME18306) -> edit exists (ME01023 applyIdx) -> still pending
   * (ME18104) -> channel open (ME18109) -> approve: speech synthesis (ME18307).
   */
  async decideEditById(
    reviewer: ReviewActor,
    applyIdx: string,
    decision: EditDecision,
    remark: string,
    options: ReviewOptions = {},
  ): Promise<EditWithChannel> {
    await this.requireReviewer(reviewer.accountId);
    const { edit, channel } = await this.getEdit(applyIdx);
    await this.decideEdit(reviewer, edit, channel, decision, remark, options);
    return this.getEdit(applyIdx);
  }

  private async decideEdit(
    reviewer: ReviewActor,
    edit: MicroChannelEdit,
    channel: MicroChannel,
    decision: EditDecision,
    remark: string,
    options: ReviewOptions,
  ): Promise<void> {
    if (edit.status !== EditStatus.Pending) {
      throw new PartnerError('ME18104');
    }
    if (channel.status !== MicroChannelStatus.Open) {
      throw new PartnerError('ME18109');
    }
    const voice = decision === 'approve' ? await this.synthesize(edit.content.name, options) : null;
    const newStatus = voice ? EditStatus.Approved : EditStatus.Rejected;
    await this.dataSource.transaction(async (m) => {
      let before: Record<string, unknown> = { status: editStatusName(EditStatus.Pending) };
      let after: Record<string, unknown> = { status: editStatusName(newStatus) };
      if (voice) {
        // Lock order channel -> edit, as in fileEdit, so approvals and new edits cannot deadlock.
        const live = await this.lockChannel(m, channel.id);
        if (live.status !== MicroChannelStatus.Open) {
          throw new PartnerError('ME18109');
        }
        before = { ...before, channel: { ...contentAudit(live.content), voiceUrl: live.voiceUrl } };
        after = { ...after, channel: { ...contentAudit(edit.content), voiceUrl: voice.url } };
      }
      const decided = await m
        .createQueryBuilder()
        .update(MicroChannelEdit)
        .set({
          status: newStatus,
          pendingChannelId: null,
          reviewerAccountId: reviewer.accountId,
          reviewedAt: new Date(),
          checkRemark: remark,
          checkAppKey: reviewer.appKey,
          voiceUrl: voice?.url ?? null,
        })
        .where('id = :id AND status = :pending', { id: edit.id, pending: EditStatus.Pending })
        .execute();
      if (affectedRows(decided) !== 1) {
        throw new PartnerError('ME18104');
      }
      if (voice) {
        await m
          .getRepository(MicroChannel)
          .update(
            { id: channel.id },
            { content: copyContent(edit.content), voiceUrl: voice.url, voiceClipId: voice.clipId },
          );
      }
      await this.audit.record(m, {
        actorAccountId: reviewer.accountId,
        appKey: reviewer.appKey,
        action: `micro-channel.edit.${decision}`,
        entityType: 'micro-channel-edit',
        entityId: edit.id,
        before,
        after,
        remark,
      });
    });
  }

  private async setChannelStatus(
    reviewer: ReviewActor,
    channel: MicroChannel,
    decision: 'close' | 'reopen',
    remark: string,
  ): Promise<void> {
    const from = decision === 'close' ? MicroChannelStatus.Open : MicroChannelStatus.Closed;
    const to = decision === 'close' ? MicroChannelStatus.Closed : MicroChannelStatus.Open;
    await this.dataSource.transaction(async (m) => {
      const changed = await m
        .createQueryBuilder()
        .update(MicroChannel)
        .set({ status: to })
        .where('id = :id AND status = :from', { id: channel.id, from })
        .execute();
      if (affectedRows(changed) !== 1) {
        throw PartnerError.badParam('checkStatus');
      }
      await this.audit.record(m, {
        actorAccountId: reviewer.accountId,
        appKey: reviewer.appKey,
        action: `micro-channel.${decision}`,
        entityType: 'micro-channel',
        entityId: channel.id,
        before: { status: channelStatusName(from) },
        after: { status: channelStatusName(to) },
        remark,
      });
    });
  }

  // ---------------------------------------------------------------- helpers

  private async lockChannel(m: EntityManager, id: string): Promise<MicroChannel> {
    const channel = await m
      .getRepository(MicroChannel)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOne();
    if (!channel) {
      throw new PartnerError('ME18109');
    }
    return channel;
  }

  private cityNameOf(code: string): string {
    const name = this.cities.nameOf(code);
    if (name === null) {
      throw PartnerError.badParam('channelCityCode');
    }
    return name;
  }

  private async resolveContent(input: ContentInput): Promise<MicroChannelContent> {
    const cityName = this.cityNameOf(input.channelCityCode);
    const catalog = await this.catalogs.requireUsable(input.channelCatalogID, 'micro');
    const content = new MicroChannelContent();
    content.name = input.channelName;
    content.introduction = input.channelIntroduction;
    content.chiefAnnouncerIntr = input.chiefAnnouncerIntr;
    content.cityCode = input.channelCityCode;
    content.cityName = cityName;
    content.catalogId = catalog.catalogId;
    content.catalogName = catalog.name;
    content.logoUrl = input.channelCatalogUrl ?? '';
    content.keyWords = input.channelKeyWords ?? '';
    return content;
  }

  /** `微频道` + name through the speech-synthesis queue; any failure or a missed deadline is ME18307. */
  private async synthesize(name: string, options: ReviewOptions): Promise<VoiceClipRef> {
    const text = VOICE_PREFIX + name;
    const synthesis = this.speech.synthesizeNow(text);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (options.synthesisDeadline === undefined) {
        return await synthesis;
      }
      const remaining = options.synthesisDeadline - Date.now();
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new SpeechSynthesisFailedError(`not finished within ${remaining} ms`)),
          Math.max(0, remaining),
        );
      });
      // The losing synthesis may still settle later; its outcome is no longer wanted.
      synthesis.catch(() => undefined);
      return await Promise.race([synthesis, deadline]);
    } catch (err) {
      if (err instanceof SpeechSynthesisFailedError) {
        this.logger.warn({ msg: 'speech synthesis failed', text, reason: err.message });
        throw new PartnerError('ME18307');
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
