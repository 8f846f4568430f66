import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../config/configuration';
import { POST_WEIBO_JOB, WEIBO_POST_JOB_OPTIONS, WEIBO_POST_QUEUE, withRetry } from '../queues';
import { WeiboPostJob, weiboPostJobId } from './weibo-post.job';

/** Queues Weibo posts of invitations: the only way features reach the weibo-post queue. */
@Injectable()
export class WeiboPostProducer {
  constructor(
    @InjectQueue(WEIBO_POST_QUEUE) private readonly queue: Queue<WeiboPostJob>,
    private readonly config: AppConfig,
  ) {}

  /** One job per invitation, in one round trip; an invitation already queued is not queued again. */
  async enqueue(invitationIds: string[]): Promise<void> {
    if (invitationIds.length === 0) {
      return;
    }
    const options = withRetry(WEIBO_POST_JOB_OPTIONS, this.config.inviteJobs.weiboPost);
    await this.queue.addBulk(
      invitationIds.map((invitationId) => ({
        name: POST_WEIBO_JOB,
        data: { invitationId },
        opts: { ...options, jobId: weiboPostJobId(invitationId) },
      })),
    );
  }

  /** Whether Redis still holds the invitation's job, in any state (the stuck-job sweep asks). */
  async hasJob(invitationId: string): Promise<boolean> {
    return (await this.queue.getJob(weiboPostJobId(invitationId))) !== null;
  }
}
