import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, LessThan, Repository } from 'typeorm';
import { RedisService } from '../../common/redis/redis.service';
import { AppConfig } from '../../config/configuration';
import { Invitation } from '../../invite/entities/invitation.entity';
import { PartnerCallbackProducer } from '../partner-callback/partner-callback.producer';
import { SpeechSynthesisProducer } from '../speech-synthesis/speech-synthesis.producer';
import { VoiceOwnerRegistry } from '../speech-synthesis/voice-owner-registry.service';
import { WeiboPostProducer } from '../weibo-post/weibo-post.producer';

/** Rows looked at per kind and sweep; a backlog larger than this is worked off over several sweeps. */
export const SWEEP_BATCH = 500;
const LOCK_KEY = 'stuck-job-sweep:lock';

export interface SweepReport {
  /** False when another worker held the sweep lock. */
  ran: boolean;
  weiboRequeued: number;
  weiboFailed: number;
  callbacksRequeued: number;
  voicesRequeued: number;
}

/**
 * Finds work whose Bull job Redis no longer holds (flushed, or restarted without its data) and gives it a
 * job again (API.md 13 "each job done once"; issue 14 "nothing stuck"). Runs in worker processes every
 * STUCK_JOB_SWEEP_INTERVAL_SECONDS, one worker at a time (a Redis lock with a token), and looks only at rows
 * untouched for STUCK_JOB_GRACE_SECONDS, so a job about to be added is not mistaken for a lost one.
 * - Invitation Weibo posts (`queued`, no job): queued again while the invitation is younger than
 *   INVITE_INTERVAL_SECONDS (the sender could not have invited again yet, so it is still the current one);
 *   older ones are marked failed with the reason, since posting a stale invitation would only mislead.
 * - Partner callbacks (`queued`, no job): queued again (signed, idempotent for the partner).
 * - Spoken names (a live row without a voice URL, no job): queued again.
 * Re-queuing uses the same stable job ids as the features, so it can never double a job that exists.
 */
@Injectable()
export class StuckJobSweeperService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StuckJobSweeperService.name);
  private timer?: NodeJS.Timeout;
  private weiboPosts!: WeiboPostProducer;
  private callbacks!: PartnerCallbackProducer;

  constructor(
    @InjectRepository(Invitation) private readonly invitations: Repository<Invitation>,
    private readonly moduleRef: ModuleRef,
    private readonly speech: SpeechSynthesisProducer,
    private readonly voiceOwners: VoiceOwnerRegistry,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.weiboPosts = this.moduleRef.get(WeiboPostProducer, { strict: false });
    this.callbacks = this.moduleRef.get(PartnerCallbackProducer, { strict: false });
  }

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) {
      return;
    }
    this.timer = setInterval(() => {
      this.sweep().catch((err: Error) => this.logger.warn({ msg: 'stuck-job sweep failed', err: err.message }));
    }, this.config.stuckJobs.intervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<SweepReport> {
    const report: SweepReport = {
      ran: false,
      weiboRequeued: 0,
      weiboFailed: 0,
      callbacksRequeued: 0,
      voicesRequeued: 0,
    };
    const token = randomUUID();
    const ttlMs = Math.max(60_000, this.config.stuckJobs.intervalSeconds * 1000);
    if ((await this.redis.run((r) => r.set(LOCK_KEY, token, 'PX', ttlMs, 'NX'))) !== 'OK') {
      return report;
    }
    report.ran = true;
    try {
      const untouchedBefore = new Date(now.getTime() - this.config.stuckJobs.graceSeconds * 1000);
      await this.sweepWeiboPosts(now, untouchedBefore, report);
      await this.sweepCallbacks(untouchedBefore, report);
      await this.sweepVoices(untouchedBefore, report);
    } finally {
      await this.redis.releaseIfHeld(LOCK_KEY, token).catch(() => undefined);
    }
    if (report.weiboRequeued + report.weiboFailed + report.callbacksRequeued + report.voicesRequeued > 0) {
      this.logger.warn({ msg: 'stuck jobs found', ...report });
    }
    return report;
  }

  private async sweepWeiboPosts(now: Date, untouchedBefore: Date, report: SweepReport): Promise<void> {
    const rows = await this.invitations.find({
      select: { id: true, createdAt: true },
      where: { deliveryState: 'queued', updatedAt: LessThan(untouchedBefore) },
      order: { id: 'ASC' },
      take: SWEEP_BATCH,
    });
    const lost = await this.withoutJob(rows, (r) => this.weiboPosts.hasJob(r.id));
    const relevantAfter = now.getTime() - this.config.invite.intervalSeconds * 1000;
    const requeue = lost.filter((r) => r.createdAt.getTime() > relevantAfter).map((r) => r.id);
    const stale = lost.filter((r) => r.createdAt.getTime() <= relevantAfter).map((r) => r.id);
    if (requeue.length > 0) {
      await this.weiboPosts.enqueue(requeue);
      report.weiboRequeued = requeue.length;
    }
    if (stale.length > 0) {
      const result = await this.invitations.update(
        { id: In(stale), deliveryState: 'queued' },
        {
          deliveryState: 'failed',
          deliveryError: 'weibo job lost from the queue; not posted again: older than INVITE_INTERVAL_SECONDS',
        },
      );
      report.weiboFailed = result.affected ?? stale.length;
    }
  }

  private async sweepCallbacks(untouchedBefore: Date, report: SweepReport): Promise<void> {
    const rows = await this.invitations.find({
      select: { id: true },
      where: { callbackState: 'queued', updatedAt: LessThan(untouchedBefore) },
      order: { id: 'ASC' },
      take: SWEEP_BATCH,
    });
    for (const row of await this.withoutJob(rows, (r) => this.callbacks.hasJob(r.id))) {
      await this.callbacks.enqueue(row.id);
      report.callbacksRequeued++;
    }
  }

  private async sweepVoices(untouchedBefore: Date, report: SweepReport): Promise<void> {
    for (const [kind, list] of this.voiceOwners.pendingListers()) {
      const rows = await list(untouchedBefore, SWEEP_BATCH);
      for (const row of await this.withoutJob(rows, (r) => this.speech.hasOwnerJob({ kind, id: r.id }))) {
        await this.speech.enqueue(row.text, { kind, id: row.id });
        report.voicesRequeued++;
      }
    }
  }

  private async withoutJob<T>(rows: T[], hasJob: (row: T) => Promise<boolean>): Promise<T[]> {
    const found = await Promise.all(rows.map(hasJob));
    return rows.filter((_, i) => !found[i]);
  }
}
