import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bull';
import { Repository } from 'typeorm';
import { Invitation } from '../../invite/entities/invitation.entity';
import { POST_WEIBO_JOB, WEIBO_POST_QUEUE } from '../queues';
import { WeiboPostJob, WeiboPostResult } from './weibo-post.job';
import { WeiboClient, WeiboPostError } from './weibo.client';

/** Posts run in parallel per worker: one inviteUserJoin may queue many of them. */
export const WEIBO_POST_CONCURRENCY = 8;
const ERROR_COLUMN_LENGTH = 512;

/**
 * Posts one invitation to its recipient through the Weibo service and records the outcome on the row.
 * Safe to retry: a row that is no longer `queued` is left alone, and a post the Weibo service already
 * accepted (bizid on the job) is recorded, never posted again. After the last attempt, or at once for
 * a failure retrying cannot fix, the invitation is marked failed.
 */
@Processor(WEIBO_POST_QUEUE)
export class WeiboPostProcessor {
  private readonly logger = new Logger(WeiboPostProcessor.name);

  constructor(
    @InjectRepository(Invitation) private readonly invitations: Repository<Invitation>,
    private readonly weibo: WeiboClient,
  ) {}

  @Process({ name: POST_WEIBO_JOB, concurrency: WEIBO_POST_CONCURRENCY })
  async post(job: Job<WeiboPostJob>): Promise<WeiboPostResult> {
    const id = job.data.invitationId;
    const invitation = await this.invitations.findOneBy({ id });
    if (!invitation) {
      this.logger.warn({ msg: 'weibo post skipped: invitation gone', invitationId: id, jobId: job.id });
      return { status: 'missing' };
    }
    if (invitation.deliveryState !== 'queued') {
      this.logger.log({
        msg: 'weibo post skipped: already settled',
        invitationId: id,
        state: invitation.deliveryState,
      });
      return { status: 'skipped', state: invitation.deliveryState };
    }
    if (job.data.bizid) {
      await this.markSent(id, job.data.bizid);
      return { status: 'sent', bizid: job.data.bizid };
    }
    const attempt = job.attemptsMade + 1;
    await this.invitations.increment({ id, deliveryState: 'queued' }, 'deliveryAttempts', 1);
    this.logger.log({ msg: 'weibo post started', invitationId: id, attempt });
    let bizid: string;
    try {
      ({ bizid } = await this.weibo.sendMultimediaPersonalWeibo({
        senderAccountId: invitation.senderAccountId,
        receiverAccountId: invitation.receiverAccountId,
        multimediaUrl: invitation.multimediaUrl,
        callbackUrl: invitation.callbackUrl,
      }));
    } catch (err) {
      const permanent = err instanceof WeiboPostError && err.permanent;
      const final = permanent || attempt >= (job.opts.attempts ?? 1);
      const message = err instanceof Error ? err.message : String(err);
      await this.invitations.update(
        { id, deliveryState: 'queued' },
        {
          deliveryError: message.slice(0, ERROR_COLUMN_LENGTH),
          ...(final ? { deliveryState: 'failed' as const } : {}),
        },
      );
      if (permanent) {
        await job.discard();
      }
      this.logger.warn({
        msg: final ? 'weibo post failed for good' : 'weibo post failed, will retry',
        invitationId: id,
        attempt,
        error: message,
      });
      throw err;
    }
    await job.update({ ...job.data, bizid });
    await this.markSent(id, bizid);
    this.logger.log({ msg: 'weibo post sent', invitationId: id, attempt, bizid });
    return { status: 'sent', bizid };
  }

  private async markSent(id: string, bizid: string): Promise<void> {
    await this.invitations.update(
      { id, deliveryState: 'queued' },
      { deliveryState: 'sent', weiboBizid: bizid.slice(0, 128), deliveredAt: new Date() },
    );
  }
}
