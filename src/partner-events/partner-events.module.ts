import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboundModule } from '../common/outbound/outbound.module';
import { AppConfig } from '../config/configuration';
import { WEBHOOK_DELIVERY_QUEUE } from '../jobs/queues';
import { PartnerEvent } from './entities/partner-event.entity';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookSubscription } from './entities/webhook-subscription.entity';
import { EventOutboxService } from './event-outbox.service';
import { EventRetentionService } from './event-retention.service';
import { OutboxRelayService } from './outbox-relay.service';
import { WebhookAdminController } from './webhook-admin.controller';
import { WebhookClient } from './webhook.client';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookSubscriptionService } from './webhook-subscription.service';

/**
 * Partner events (API.md 12): the outbox every write path records into (global, so features inject
 * EventOutboxService), the relay, the retention purge and the delivery processor (worker roles), and the admin webhook routes.
 */
@Module({})
export class PartnerEventsModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: PartnerEventsModule,
      global: true,
      imports: [
        BullModule.registerQueue({ name: WEBHOOK_DELIVERY_QUEUE }),
        TypeOrmModule.forFeature([PartnerEvent, WebhookSubscription, WebhookDelivery]),
        OutboundModule,
      ],
      controllers: [WebhookAdminController],
      providers: [
        EventOutboxService,
        WebhookSubscriptionService,
        WebhookDeliveryService,
        WebhookClient,
        OutboxRelayService,
        EventRetentionService,
        ...(config.runsWorkers ? [WebhookDeliveryProcessor] : []),
      ],
      exports: [EventOutboxService],
    };
  }
}
