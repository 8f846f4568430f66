import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AccountService } from '../access/account.service';
import { AuditService } from '../audit/audit.service';
import { CatalogService } from '../catalog/catalog.service';
import { PartnerError } from '../common/errors/partner-error';
import { EventOutboxService } from '../partner-events/event-outbox.service';
import { changedFields, copyContent, MicroChannelContent } from './entities/micro-channel-content';
import { EditStatus, MicroChannelEdit } from './entities/micro-channel-edit.entity';
import { MicroChannel, MicroChannelStatus } from './entities/micro-channel.entity';
import { EditListPage, EditListQuery, MicroChannelEditListService } from './micro-channel-edit-list.service';
import {
  affectedRows,
  channelStatusName,
  ContentInput,
  contentAudit,
  EditDecision,
  editStatusName,
  MicroChannelReviewService,
  numberKeyOf,
  ReviewActor,
  ReviewOptions,
} from './micro-channel-review.service';

export type ChannelDecision = EditDecision | 'close' | 'reopen';

export interface EditWithChannel {
  edit: MicroChannelEdit;
  channel: MicroChannel;
  /** Content fields the edit would change on the live channel now. */
  changes: Array<keyof MicroChannelContent>;
}

/**
 * Live micro channels after first review (API.md 5.4, 5.6): owners file edits, reviewers re-review
 * them and close or reopen channels. Every state change is a conditional update from the expected
 * status, so concurrent decisions on the same request produce exactly one decision, and every
 * decision writes an audit row in the same transaction. The partner routes and the admin console
 * both decide through this service.
 */
@Injectable()
export class MicroChannelEditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MicroChannel) private readonly channels: Repository<MicroChannel>,
    @InjectRepository(MicroChannelEdit) private readonly edits: Repository<MicroChannelEdit>,
    private readonly accounts: AccountService,
    private readonly catalogs: CatalogService,
    private readonly audit: AuditService,
    private readonly events: EventOutboxService,
    private readonly editList: MicroChannelEditListService,
    private readonly review: MicroChannelReviewService,
  ) {}

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
    const cityName = input.channelCityCode === undefined ? undefined : this.review.cityNameOf(input.channelCityCode);
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
    return this.editTransaction(async (m) => {
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
  listPendingEdits(query: EditListQuery): Promise<EditListPage> {
    return this.editList.page(query);
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
    await this.review.requireReviewer(reviewer.accountId);
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
    await this.review.requireReviewer(reviewer.accountId);
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
    const voice = decision === 'approve' ? await this.review.synthesize(edit.content.name, options) : null;
    const newStatus = voice ? EditStatus.Approved : EditStatus.Rejected;
    await this.editTransaction(async (m) => {
      let before: Record<string, unknown> = { status: editStatusName(EditStatus.Pending) };
      let after: Record<string, unknown> = { status: editStatusName(newStatus) };
      // Lock order channel -> edit, as in fileEdit, so approvals and new edits cannot deadlock. A rejection
      // locks the channel too, so the channel's events are written in the order its changes commit.
      const live = await this.lockChannel(m, channel.id);
      if (voice) {
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
      await this.events.record(m, {
        event: 'micro_channel.edit_decided',
        channelNumber: channel.channelNumber,
        actorAccountId: reviewer.accountId,
        subjectAccountId: edit.accountId,
        before: { applyIdx: edit.id, ...before },
        after: { applyIdx: edit.id, ...after, checkRemark: remark },
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
    await this.editTransaction(async (m) => {
      const changed = await m
        .createQueryBuilder()
        .update(MicroChannel)
        .set({ status: to })
        .where('id = :id AND status = :from', { id: channel.id, from })
        .execute();
      if (affectedRows(changed) !== 1) {
        throw PartnerError.badParam('checkStatus');
      }
      // The re-review list reads this copy of the channel's status from its own index.
      await m
        .getRepository(MicroChannelEdit)
        .update({ channelId: channel.id }, { channelOpen: to === MicroChannelStatus.Open });
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
      await this.events.record(m, {
        event: 'micro_channel.status_changed',
        channelNumber: channel.channelNumber,
        actorAccountId: reviewer.accountId,
        before: { status: channelStatusName(from) },
        after: { status: channelStatusName(to), checkRemark: remark },
      });
    });
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A transaction that changes an edit's status or a channel's status: the re-review list's cached counts
   * are dropped on every instance once it has ended (committed or not).
   */
  private async editTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } finally {
      await this.editList.changed();
    }
  }

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
}
