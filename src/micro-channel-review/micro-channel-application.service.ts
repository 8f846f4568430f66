import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AccountService } from '../access/account.service';
import { Account } from '../access/entities/account.entity';
import { AuditService } from '../audit/audit.service';
import { PartnerError } from '../common/errors/partner-error';
import { VoiceClipRef } from '../jobs/speech-synthesis/speech-synthesis.job';
import { EventOutboxService } from '../partner-events/event-outbox.service';
import { ApplicationStatus, MicroChannelApplication } from './entities/micro-channel-application.entity';
import { copyContent } from './entities/micro-channel-content';
import { MicroChannel, MicroChannelStatus } from './entities/micro-channel.entity';
import {
  affectedRows,
  applicationStatusName,
  ContentInput,
  contentAudit,
  EditDecision,
  MicroChannelReviewService,
  numberKeyOf,
  ReviewActor,
  ReviewOptions,
} from './micro-channel-review.service';

/** Open (pending) applications one account may have at a time (API.md 5.6). */
export const MAX_OPEN_APPLICATIONS = 3;

function isDuplicateKey(err: unknown, keyName: string): boolean {
  const driverError = (err as { driverError?: { code?: string; sqlMessage?: string } }).driverError;
  return driverError?.code === 'ER_DUP_ENTRY' && (driverError.sqlMessage ?? '').includes(keyName);
}

/**
 * Micro channels from application to first review (API.md 5.6): owners apply, reviewers approve or
 * reject, and an approval creates the live channel. Every state change is a conditional update from
 * the expected status, so concurrent decisions on the same application produce exactly one decision,
 * and every decision writes an audit row in the same transaction. The partner routes and the admin
 * console both decide through this service.
 */
@Injectable()
export class MicroChannelApplicationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MicroChannelApplication) private readonly applications: Repository<MicroChannelApplication>,
    @InjectRepository(MicroChannel) private readonly channels: Repository<MicroChannel>,
    private readonly accounts: AccountService,
    private readonly audit: AuditService,
    private readonly events: EventOutboxService,
    private readonly review: MicroChannelReviewService,
  ) {}

  /**
   * applyMicroChannel. Order: city and catalog resolve (ME01023) -> account exists (ME18053) ->
   * fewer than 3 open applications (ME18106) -> number free among live channels and pending
   * applications (ME18104). Both limits hold under concurrent requests.
   */
  async apply(owner: ReviewActor & { appKey: string }, channelNumber: string, input: ContentInput): Promise<string> {
    const content = await this.review.resolveContent(input);
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
    await this.review.requireReviewer(reviewer.accountId);
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
      voice = await this.review.synthesize(application.content.name, options);
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
      await this.events.record(m, {
        event: 'micro_channel.application_decided',
        channelNumber: application.channelNumber,
        actorAccountId: reviewer.accountId,
        subjectAccountId: application.accountId,
        before: { applyIdx: application.id, status: applicationStatusName(ApplicationStatus.Pending) },
        after: { applyIdx: application.id, status: applicationStatusName(newStatus), checkRemark: remark },
      });
    });
  }
}
