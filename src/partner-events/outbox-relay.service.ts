import { InjectQueue } from '@nestjs/bull';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/configuration';
import { DELIVER_WEBHOOK_LANE_JOB, WEBHOOK_DELIVERY_JOB_OPTIONS, WEBHOOK_DELIVERY_QUEUE } from '../jobs/queues';
import { Lane, WebhookDeliveryService } from './webhook-delivery.service';
import { withTimeout } from '../common/async/with-timeout';

/** How often a worker relays the outbox and queues due lanes. */
export const OUTBOX_RELAY_INTERVAL_MS = 250;
/** A queue add that does not answer within this is given up; the next tick queues the lane again. */
const QUEUE_ADD_TIMEOUT_MS = 2000;

/** The one job id of a lane's regular job: adding it again while one waits or runs is a no-op in Bull. */
export function laneJobId(lane: Lane): string {
  return `lane:${lane.appKey}:${lane.channelNumber}`;
}

/**
 * The outbox relay (API.md 12), in worker processes: every tick it fans committed events out into
 * deliveries (MySQL only, so it goes on while Redis is down) and queues a job for every lane with a due
 * delivery. Several workers may run it: the fan-out takes a named lock, lane jobs have one id per lane,
 * and the delivery itself is claimed by a lease in MySQL. While the queue's Redis is not ready, lanes are
 * simply not queued; they are all still due when it is back.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveryService,
    @InjectQueue(WEBHOOK_DELIVERY_QUEUE) private readonly queue: Queue<Lane>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) {
      return;
    }
    this.timer = setInterval(() => {
      if (!this.running) {
        this.running = this.tick().finally(() => (this.running = undefined));
      }
    }, OUTBOX_RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One relay round: fan out everything committed, then queue every due lane. */
  async tick(): Promise<void> {
    try {
      while ((await this.deliveries.fanOut()) > 0) {
        // keep going until the outbox is drained
      }
      if (!this.queueReady()) {
        return;
      }
      for (const lane of await this.deliveries.dueLanes()) {
        await this.kick(lane);
      }
    } catch (err) {
      this.logger.warn({ msg: 'outbox relay round failed', err: (err as Error).message });
    }
  }

  /** Queues a lane now, or after `delayMs` (a retry's backoff) under a job id of its own. */
  async kick(lane: Lane, delayMs = 0): Promise<void> {
    const jobId = delayMs > 0 ? `${laneJobId(lane)}:at:${Date.now() + delayMs}` : laneJobId(lane);
    try {
      await withTimeout(
        this.queue.add(DELIVER_WEBHOOK_LANE_JOB, lane, { ...WEBHOOK_DELIVERY_JOB_OPTIONS, jobId, delay: delayMs }),
        QUEUE_ADD_TIMEOUT_MS,
        'queue did not answer',
      );
    } catch (err) {
      this.logger.warn({ msg: 'could not queue a webhook lane', jobId, err: (err as Error).message });
    }
  }

  private queueReady(): boolean {
    return (this.queue.client as { status?: string }).status === 'ready';
  }
}
