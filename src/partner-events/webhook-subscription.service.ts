import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PartnerAppService } from '../access/partner-app.service';
import { OutboundError, OutboundHttpClient } from '../common/outbound/outbound-http.client';
import { DeliveryResponseDto, WebhookResponseDto } from './dto/webhook.dto';
import { DeliveryStatus, WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookSubscription } from './entities/webhook-subscription.entity';

const unix = (d: Date): number => Math.floor(d.getTime() / 1000);

/** Webhook subscriptions of partner apps, granted by the company through the admin API (API.md 12). */
@Injectable()
export class WebhookSubscriptionService {
  constructor(
    @InjectRepository(WebhookSubscription) private readonly subscriptions: Repository<WebhookSubscription>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly apps: PartnerAppService,
    private readonly outbound: OutboundHttpClient,
  ) {}

  /** Creates or replaces the app's webhook; the url must pass the outbound policy (API.md 9). */
  async put(appKey: string, url: string, events: string[]): Promise<WebhookResponseDto> {
    await this.requireApp(appKey);
    try {
      await this.outbound.assertAllowed(url);
    } catch (err) {
      if (err instanceof OutboundError) {
        throw new BadRequestException({
          statusCode: 400,
          message: `url is refused: ${err.message}`,
          errors: { url: err.message },
        });
      }
      throw err;
    }
    // "*" alone stands for every event, also the ones added later.
    const stored = events.includes('*') ? '*' : events.join(',');
    await this.subscriptions.upsert({ appKey, url, events: stored }, ['appKey']);
    return { appKey, url, events: stored.split(',') };
  }

  async get(appKey: string): Promise<WebhookResponseDto> {
    const row = await this.subscriptions.findOneBy({ appKey });
    if (!row) {
      throw new NotFoundException({
        statusCode: 404,
        message: 'no webhook for this app',
        errors: { appKey: 'no webhook' },
      });
    }
    return { appKey, url: row.url, events: row.events.split(',') };
  }

  /** Ends the subscription: the relay makes no new deliveries for it (queued ones may still go out). */
  async remove(appKey: string): Promise<void> {
    const result = await this.subscriptions.delete({ appKey });
    if (!result.affected) {
      throw new NotFoundException({
        statusCode: 404,
        message: 'no webhook for this app',
        errors: { appKey: 'no webhook' },
      });
    }
  }

  async listDeliveries(
    appKey: string,
    limit: number,
    status?: DeliveryStatus,
  ): Promise<{ list: DeliveryResponseDto[] }> {
    await this.requireApp(appKey);
    const rows = await this.deliveries.find({
      where: status ? { appKey, status } : { appKey },
      order: { id: 'DESC' },
      take: limit,
    });
    return {
      list: rows.map((d) => ({
        eventID: d.eventId,
        event: d.event,
        channelNumber: d.channelNumber,
        status: d.status,
        attempts: d.attempts,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
        createdAt: unix(d.createdAt),
        deliveredAt: d.deliveredAt ? unix(d.deliveredAt) : null,
      })),
    };
  }

  private async requireApp(appKey: string): Promise<void> {
    if (!(await this.apps.findCredentials(appKey))) {
      throw new NotFoundException({ statusCode: 404, message: 'appKey not found', errors: { appKey: 'not found' } });
    }
  }
}
