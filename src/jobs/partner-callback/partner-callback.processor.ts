import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bull';
import { Repository } from 'typeorm';
import { PartnerAppService } from '../../access/partner-app.service';
import { Invitation } from '../../invite/entities/invitation.entity';
import { PARTNER_CALLBACK_QUEUE, SEND_PARTNER_CALLBACK_JOB } from '../queues';
import { PartnerCallbackClient, PartnerCallbackError } from './partner-callback.client';
import { PartnerCallbackJob, PartnerCallbackResult } from './partner-callback.job';

export const PARTNER_CALLBACK_CONCURRENCY = 4;
const ERROR_COLUMN_LENGTH = 512;

/**
 * Sends the signed callback of an accepted invitation to the inviting partner and records the outcome
 * on the row. Safe to retry: only a row whose callback is `queued` is sent, and a callback the partner
 * already answered 2xx (deliveredAt on the job) is recorded, never sent again. After the last attempt,
 * or at once for a failure retrying cannot fix, the callback is marked failed.
 */
@Processor(PARTNER_CALLBACK_QUEUE)
export class PartnerCallbackProcessor {
  private readonly logger = new Logger(PartnerCallbackProcessor.name);

  constructor(
    @InjectRepository(Invitation) private readonly invitations: Repository<Invitation>,
    private readonly apps: PartnerAppService,
    private readonly client: PartnerCallbackClient,
  ) {}

  @Process({ name: SEND_PARTNER_CALLBACK_JOB, concurrency: PARTNER_CALLBACK_CONCURRENCY })
  async send(job: Job<PartnerCallbackJob>): Promise<PartnerCallbackResult> {
    const id = job.data.invitationId;
    const invitation = await this.invitations.findOneBy({ id });
    if (!invitation) {
      this.logger.warn({ msg: 'callback skipped: invitation gone', invitationId: id, jobId: job.id });
      return { status: 'missing' };
    }
    if (invitation.callbackState !== 'queued' || !invitation.acceptedAt) {
      this.logger.log({
        msg: 'callback skipped: not waiting for a callback',
        invitationId: id,
        state: invitation.callbackState,
      });
      return { status: 'skipped', state: invitation.callbackState };
    }
    if (job.data.deliveredAt !== undefined) {
      await this.markDelivered(id, new Date(job.data.deliveredAt));
      return { status: 'delivered' };
    }
    const attempt = job.attemptsMade + 1;
    await this.invitations.increment({ id, callbackState: 'queued' }, 'callbackAttempts', 1);
    this.logger.log({ msg: 'callback started', invitationId: id, attempt });
    let httpStatus: number;
    try {
      const app = await this.apps.findCredentials(invitation.appKey);
      if (!app || !app.enabled) {
        throw new PartnerCallbackError(`inviting app ${invitation.appKey} is unknown or disabled`, true);
      }
      ({ httpStatus } = await this.client.send(
        invitation.callbackUrl,
        {
          invitationID: invitation.id,
          senderAccountID: invitation.senderAccountId,
          receiverAccountID: invitation.receiverAccountId,
          tempChannelID: invitation.tempChannelId,
          acceptTime: String(Math.floor(invitation.acceptedAt.getTime() / 1000)),
          appKey: invitation.appKey,
        },
        app.secret,
      ));
    } catch (err) {
      const permanent = err instanceof PartnerCallbackError && err.permanent;
      const final = permanent || attempt >= (job.opts.attempts ?? 1);
      const message = err instanceof Error ? err.message : String(err);
      await this.invitations.update(
        { id, callbackState: 'queued' },
        {
          callbackError: message.slice(0, ERROR_COLUMN_LENGTH),
          ...(final ? { callbackState: 'failed' as const } : {}),
        },
      );
      if (permanent) {
        await job.discard();
      }
      this.logger.warn({
        msg: final ? 'callback failed for good' : 'callback failed, will retry',
        invitationId: id,
        attempt,
        error: message,
      });
      throw err;
    }
    const deliveredAt = Date.now();
    await job.update({ ...job.data, deliveredAt });
    await this.markDelivered(id, new Date(deliveredAt));
    this.logger.log({ msg: 'callback delivered', invitationId: id, attempt, httpStatus });
    return { status: 'delivered', httpStatus };
  }

  private async markDelivered(id: string, at: Date): Promise<void> {
    await this.invitations.update(
      { id, callbackState: 'queued' },
      { callbackState: 'delivered', callbackDeliveredAt: at },
    );
  }
}
