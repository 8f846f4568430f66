import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { JobCounts, Queue } from 'bull';
import type { Express } from 'express';
import { RedisConnectionFactory } from '../../common/redis/redis-connection.factory';
import { AppConfig } from '../../config/configuration';
import { DependencyStatus, HealthService } from '../../health/health.service';
import { MetricsService } from '../../metrics/metrics.service';
import { MONITORED_QUEUES } from '../queues';
import { withTimeout } from '../../common/async/with-timeout';

export const QUEUE_BOARD_PATH = '/admin/queues';
/** How often the queue_jobs gauge is refreshed (about one Prometheus scrape interval). */
export const QUEUE_METRICS_INTERVAL_MS = 15_000;
const COUNTS_TIMEOUT_MS = 2000;
const STATES: ReadonlyArray<keyof JobCounts> = ['waiting', 'active', 'delayed', 'failed', 'completed'];

/**
 * Makes the queues of MONITORED_QUEUES visible to ops:
 * - the Bull Board at /admin/queues (api processes; mounted by setupApp behind the admin token);
 * - one readiness check per queue (`queue:<name>`, job counts in `details`, down only when the
 *   queue's Redis does not answer), in every role: a worker's readiness covers the queues it runs;
 * - in processes that run processors, `queue_jobs_processed_total{queue,outcome}` from Bull's local
 *   events (they fire only in the process that ran the job, so an api process always shows none);
 * - the `queue_jobs{queue,state}` gauge, refreshed every QUEUE_METRICS_INTERVAL_MS rather than on
 *   scrape, so a slow or unreachable Redis never delays or fails /metrics; a queue whose counts
 *   cannot be read drops its series instead of reporting stale numbers.
 * The queues are the instances their own modules registered, found by token. At shutdown it closes them
 * and then the Bull connections, which Bull leaves open when they come from `createClient`.
 */
@Injectable()
export class QueueMonitorService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueMonitorService.name);
  private readonly board = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  private queues: Queue[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
    private readonly connections: RedisConnectionFactory,
  ) {}

  /** The Bull Board's Express app; it serves the queues once the application has initialised. */
  get boardRouter(): Express {
    return this.board.getRouter() as Express;
  }

  onModuleInit(): void {
    this.queues = MONITORED_QUEUES.map((name) => {
      try {
        return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      } catch {
        throw new Error(`queue ${name} is listed in MONITORED_QUEUES but no module registers it`);
      }
    });
    for (const queue of this.queues) {
      this.health.register({ name: `queue:${queue.name}`, check: () => this.check(queue) });
      if (this.config.runsWorkers) {
        queue.on('completed', () => this.metrics.queueJobsProcessed.inc({ queue: queue.name, outcome: 'completed' }));
        queue.on('failed', () => this.metrics.queueJobsProcessed.inc({ queue: queue.name, outcome: 'failed' }));
      }
    }
    if (this.config.servesHttp) {
      createBullBoard({ queues: this.queues.map((queue) => new BullAdapter(queue)), serverAdapter: this.board });
    }
  }

  onApplicationBootstrap(): void {
    void this.refreshMetrics();
    this.timer = setInterval(() => void this.refreshMetrics(), QUEUE_METRICS_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    // close() is memoised by Bull, so this waits for the same close the queue providers start.
    await Promise.allSettled(this.queues.map((queue) => queue.close()));
    this.connections.closeBullConnections();
  }

  /** Reads every queue's counts into the queue_jobs gauge. */
  async refreshMetrics(): Promise<void> {
    await Promise.all(
      this.queues.map(async (queue) => {
        try {
          const counts = await this.counts(queue);
          for (const state of STATES) {
            this.metrics.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
          }
        } catch (err) {
          for (const state of STATES) {
            this.metrics.queueJobs.remove({ queue: queue.name, state });
          }
          this.logger.warn({ msg: 'queue counts unavailable', queue: queue.name, err: (err as Error).message });
        }
      }),
    );
  }

  private async check(queue: Queue): Promise<DependencyStatus> {
    const started = Date.now();
    try {
      const counts = await this.counts(queue);
      return { status: 'up', latencyMs: Date.now() - started, details: { ...counts } };
    } catch (err) {
      return { status: 'down', latencyMs: Date.now() - started, error: (err as Error).message };
    }
  }

  private counts(queue: Queue): Promise<JobCounts> {
    return withTimeout(queue.getJobCounts(), COUNTS_TIMEOUT_MS);
  }
}
