import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, FindOptionsWhere, Repository } from 'typeorm';
import { AccountService } from '../access/account.service';
import { AuditService } from '../audit/audit.service';
import { PartnerError, RedisFailure } from '../common/errors/partner-error';
import { AppConfig } from '../config/configuration';
import { EventOutboxService } from '../partner-events/event-outbox.service';
import { PartnerCallbackProducer } from '../jobs/partner-callback/partner-callback.producer';
import { WeiboPostProducer } from '../jobs/weibo-post/weibo-post.producer';
import { AcceptInvitationDto } from './dto/accept-invitation.dto';
import { InviteUserJoinDto } from './dto/invite-user-join.dto';
import { Invitation } from './entities/invitation.entity';
import { MediaCheckService } from './media-check.service';
import { PresenceService } from './presence.service';
import { ReadReplicaService } from '../database/read-replica.service';

const INSERT_CHUNK = 500;

export interface InvitationFilter {
  tempChannelId?: string;
  senderAccountId?: string;
  receiverAccountId?: string;
  limit: number;
  offset: number;
}

/**
 * Invitations to live temp channels (API.md 5.5, 5.6): inviteUserJoin fans one voice message out to
 * every eligible online account through the Weibo queue; acceptInvitation records the recipient's
 * answer once and queues the signed callback to the inviting partner.
 */
@Injectable()
export class InviteService {
  private readonly logger = new Logger(InviteService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Invitation) private readonly invitations: Repository<Invitation>,
    private readonly accounts: AccountService,
    private readonly presence: PresenceService,
    private readonly media: MediaCheckService,
    private readonly audit: AuditService,
    private readonly weiboPosts: WeiboPostProducer,
    private readonly callbacks: PartnerCallbackProducer,
    private readonly config: AppConfig,
    private readonly events: EventOutboxService,
    private readonly replicas: ReadReplicaService,
  ) {}

  /**
   * inviteUserJoin. Checks in the contract's order: account (ME18053), temp channel live (ME18092),
   * interval (ME18090), voice message (ME01023 multimediaURL).
   *
   * The interval slot is claimed atomically before the slow media check, so of two simultaneous
   * invites exactly one proceeds. A successful invite keeps the slot for INVITE_INTERVAL_SECONDS, even
   * when nobody was eligible (as the original service did). Any failure after the claim gives the slot
   * back, so a rejected or failed invite never blocks the channel; the release only deletes our own
   * token, so it cannot free a slot another invite took after ours expired. If the process dies between
   * claim and release, the slot simply expires.
   */
  async invite(appKey: string, dto: InviteUserJoinDto): Promise<{ count: number }> {
    await this.accounts.require(dto.accountID);
    if (!(await this.presence.isTempChannelLive(dto.tempChannelID))) {
      throw new PartnerError('ME18092');
    }
    const slot = await this.presence.claimInviteSlot(dto.tempChannelID, this.config.invite.intervalSeconds);
    if (slot === null) {
      throw new PartnerError('ME18090');
    }
    let succeeded = false;
    try {
      await this.media.requireAmrNb(dto.multimediaURL);
      const recipients = await this.presence.inviteRecipients(dto.accountID);
      const batchId = randomBytes(16).toString('hex');
      const ids = await this.createInvitations(appKey, dto, batchId, recipients);
      await this.queueWeiboPosts(batchId, ids);
      succeeded = true;
      this.logger.log({
        msg: 'invitations queued',
        tempChannelID: dto.tempChannelID,
        sender: dto.accountID,
        batchId,
        count: ids.length,
      });
      return { count: ids.length };
    } finally {
      if (!succeeded) {
        await this.presence.releaseInviteSlot(dto.tempChannelID, slot).catch((err: unknown) =>
          this.logger.warn({
            msg: 'invite slot not released; it expires by itself',
            tempChannelID: dto.tempChannelID,
            error: String(err),
          }),
        );
      }
    }
  }

  /**
   * acceptInvitation. The invitation is the one named by invitationID (it must be addressed to the
   * caller), or the caller's newest invitation to tempChannelID: an older invitation to the same temp
   * channel is superseded by the newer one, so accepting twice is always ME18105 rather than
   * accepting an older round. The row lock makes concurrent accepts record exactly one acceptance.
   */
  async accept(appKey: string, accountId: string, dto: AcceptInvitationDto): Promise<{ invitationID: string }> {
    await this.accounts.require(accountId);
    const { id, eventId } = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Invitation);
      let invitation: Invitation | null;
      if (dto.invitationID !== undefined) {
        invitation = await repo.findOne({
          where: { id: dto.invitationID, receiverAccountId: accountId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!invitation) {
          throw PartnerError.badParam('invitationID');
        }
        if (dto.tempChannelID !== undefined && dto.tempChannelID !== invitation.tempChannelId) {
          throw PartnerError.badParam('tempChannelID');
        }
      } else {
        invitation = await repo.findOne({
          where: { receiverAccountId: accountId, tempChannelId: dto.tempChannelID },
          order: { id: 'DESC' },
          lock: { mode: 'pessimistic_write' },
        });
        if (!invitation) {
          throw PartnerError.badParam('tempChannelID');
        }
      }
      if (invitation.acceptedAt !== null) {
        throw new PartnerError('ME18105');
      }
      const acceptedAt = new Date();
      await repo.update({ id: invitation.id }, { acceptedAt, callbackState: 'queued' });
      await this.audit.record(manager, {
        actorAccountId: accountId,
        appKey,
        action: 'invitation.accept',
        entityType: 'invitation',
        entityId: invitation.id,
        before: { acceptedAt: null, callbackState: invitation.callbackState },
        after: { acceptedAt: Math.floor(acceptedAt.getTime() / 1000), callbackState: 'queued' },
      });
      const recorded = await this.events.record(manager, {
        event: 'invitation.accepted',
        channelNumber: invitation.tempChannelId,
        actorAccountId: accountId,
        subjectAccountId: accountId,
        before: { acceptedAt: null },
        after: {
          invitationID: invitation.id,
          senderAccountID: invitation.senderAccountId,
          tempChannelID: invitation.tempChannelId,
          acceptedAt: Math.floor(acceptedAt.getTime() / 1000),
        },
      });
      return { id: invitation.id, eventId: recorded };
    });
    try {
      await this.callbacks.enqueue(id);
    } catch (err) {
      // The callback could not be queued: undo the acceptance so the recipient's retry works and the
      // partner is not left waiting for a callback that will never come.
      await this.revertAcceptance(appKey, accountId, id, eventId).catch((revertErr: unknown) =>
        this.logger.error({
          msg: 'acceptance not reverted after queue failure',
          invitationId: id,
          error: String(revertErr),
        }),
      );
      throw new RedisFailure(err);
    }
    return { invitationID: id };
  }

  async find(id: string): Promise<Invitation | null> {
    return this.invitations.findOneBy({ id });
  }

  async list(filter: InvitationFilter): Promise<{ total: number; items: Invitation[] }> {
    const where: FindOptionsWhere<Invitation> = {};
    if (filter.tempChannelId !== undefined) {
      where.tempChannelId = filter.tempChannelId;
    }
    if (filter.senderAccountId !== undefined) {
      where.senderAccountId = filter.senderAccountId;
    }
    if (filter.receiverAccountId !== undefined) {
      where.receiverAccountId = filter.receiverAccountId;
    }
    // A list read: on a read replica when there is one (API.md 13).
    const [items, total] = await this.replicas.read((m) =>
      m
        .getRepository(Invitation)
        .findAndCount({ where, order: { id: 'DESC' }, take: filter.limit, skip: filter.offset }),
    );
    return { total, items };
  }

  /** One transaction: an invitation row per recipient and the audit row of the invite. Returns the ids. */
  private async createInvitations(
    appKey: string,
    dto: InviteUserJoinDto,
    batchId: string,
    recipients: string[],
  ): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Invitation);
      for (let i = 0; i < recipients.length; i += INSERT_CHUNK) {
        await repo.insert(
          recipients.slice(i, i + INSERT_CHUNK).map((receiverAccountId) => ({
            batchId,
            appKey,
            senderAccountId: dto.accountID,
            receiverAccountId,
            tempChannelId: dto.tempChannelID,
            multimediaUrl: dto.multimediaURL,
            callbackUrl: dto.callbackURL,
          })),
        );
      }
      // Read the ids back by batch: consecutive auto-increment ids are not guaranteed for multi-row inserts.
      const rows =
        recipients.length === 0
          ? []
          : await repo.find({ select: { id: true }, where: { batchId }, order: { id: 'ASC' } });
      await this.audit.record(manager, {
        actorAccountId: dto.accountID,
        appKey,
        action: 'invite.send',
        entityType: 'temp-channel',
        entityId: dto.tempChannelID,
        after: { batchID: batchId, count: rows.length },
      });
      return rows.map((r) => r.id);
    });
  }

  /**
   * Queues one Weibo post per invitation. If the queue cannot take them the invitations are marked
   * failed (they stay visible on the admin API) and the request fails with ME01021.
   */
  private async queueWeiboPosts(batchId: string, ids: string[]): Promise<void> {
    try {
      await this.weiboPosts.enqueue(ids);
    } catch (err) {
      const reason = `not queued: ${err instanceof Error ? err.message : String(err)}`.slice(0, 512);
      await this.invitations
        .update({ batchId, deliveryState: 'queued' }, { deliveryState: 'failed', deliveryError: reason })
        .catch((updateErr: unknown) =>
          this.logger.error({ msg: 'could not mark unqueued invitations failed', batchId, error: String(updateErr) }),
        );
      throw new RedisFailure(err);
    }
  }

  private async revertAcceptance(appKey: string, accountId: string, id: string, eventId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .getRepository(Invitation)
        .update({ id, callbackState: 'queued', callbackAttempts: 0 }, { acceptedAt: null, callbackState: 'none' });
      if (result.affected === 1) {
        await this.audit.record(manager, {
          actorAccountId: accountId,
          appKey,
          action: 'invitation.accept-reverted',
          entityType: 'invitation',
          entityId: id,
          after: { acceptedAt: null, callbackState: 'none' },
          remark: 'the partner callback could not be queued',
        });
        await this.events.withdraw(manager, eventId);
      }
    });
  }
}
