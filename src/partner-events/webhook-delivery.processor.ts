import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DELIVER_WEBHOOK_LANE_JOB, WEBHOOK_DELIVERY_CONCURRENCY, WEBHOOK_DELIVERY_QUEUE } from '../jobs/queues';
import { OutboxRelayService } from './outbox-relay.service';
import { Lane, WebhookDeliveryService } from './webhook-delivery.service';

/** Delivers one lane; a head that must wait for its retry is queued again for exactly that moment. */
@Processor(WEBHOOK_DELIVERY_QUEUE)
export class WebhookDeliveryProcessor {
  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly relay: OutboxRelayService,
  ) {}

  @Process({ name: DELIVER_WEBHOOK_LANE_JOB, concurrency: WEBHOOK_DELIVERY_CONCURRENCY })
  async deliver(job: Job<Lane>): Promise<void> {
    const retryInMs = await this.deliveries.deliverLane(job.data);
    if (retryInMs !== null && retryInMs > 0) {
      await this.relay.kick(job.data, retryInMs);
    }
  }
}
