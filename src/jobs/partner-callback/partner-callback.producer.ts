import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../config/configuration';
import { PARTNER_CALLBACK_JOB_OPTIONS, PARTNER_CALLBACK_QUEUE, SEND_PARTNER_CALLBACK_JOB, withRetry } from '../queues';
import { PartnerCallbackJob, partnerCallbackJobId } from './partner-callback.job';

/** Queues partner callbacks of accepted invitations: the only way features reach the partner-callback queue. */
@Injectable()
export class PartnerCallbackProducer {
  constructor(
    @InjectQueue(PARTNER_CALLBACK_QUEUE) private readonly queue: Queue<PartnerCallbackJob>,
    private readonly config: AppConfig,
  ) {}

  async enqueue(invitationId: string): Promise<void> {
    const options = withRetry(PARTNER_CALLBACK_JOB_OPTIONS, this.config.inviteJobs.partnerCallback);
    await this.queue.add(
      SEND_PARTNER_CALLBACK_JOB,
      { invitationId },
      { ...options, jobId: partnerCallbackJobId(invitationId) },
    );
  }

  /** Whether Redis still holds the invitation's callback job, in any state (the stuck-job sweep asks). */
  async hasJob(invitationId: string): Promise<boolean> {
    return (await this.queue.getJob(partnerCallbackJobId(invitationId))) !== null;
  }
}
