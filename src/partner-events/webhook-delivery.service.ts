import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { PartnerAppService } from '../access/partner-app.service';
import { AppConfig } from '../config/configuration';
import { PartnerEvent } from './entities/partner-event.entity';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookClient, WebhookDeliveryError, WebhookFields } from './webhook.client';

/** Events fanned out per relay transaction. */
const RELAY_BATCH = 200;
/** Deliveries one lane job sends before it hands the lane back to the queue. */
const LANE_BATCH = 50;
/** How long a worker may hold a delivery it is sending; longer than the 5 s an attempt may take. */
const LEASE_MS = 30_000;
const ERROR_COLUMN_LENGTH = 512;

/** A lane: the deliveries of one channel's events to one app, sent one after the other in eventID order. */
export interface Lane {
  appKey: string;
  channelNumber: string;
}

interface AffectedResult {
  affectedRows?: number;
}

/**
 * The database side of partner events (API.md 12): the relay's fan-out from the outbox into deliveries,
 * and the sending of a lane. Everything a delivery needs to survive a crash or a Redis outage is in
 * MySQL: attempts, the next attempt's time and the lease of the worker sending it.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly apps: PartnerAppService,
    private readonly client: WebhookClient,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectRepository(PartnerEvent) private readonly events: Repository<PartnerEvent>,
  ) {}

  /**
   * Moves committed, not yet relayed events into one delivery per subscribed app, oldest first, and
   * returns how many events it relayed. One relay runs at a time across all workers (a MySQL named lock
   * of this database): two relays taking interleaved batches could create a channel's later delivery
   * before its earlier one. A worker that finds the lock taken relays nothing this time.
   */
  async fanOut(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query("SELECT GET_LOCK(CONCAT(DATABASE(), ':outbox-relay'), 0) AS got")) as Array<{
        got: number | string | null;
      }>;
      if (Number(lock?.got) !== 1) {
        return 0;
      }
      try {
        await runner.startTransaction('READ COMMITTED');
        try {
          const rows = (await runner.query(
            'SELECT id FROM partner_event WHERE relayed_at IS NULL ORDER BY id LIMIT ? FOR UPDATE',
            [RELAY_BATCH],
          )) as Array<{ id: string }>;
          if (rows.length > 0) {
            const ids = rows.map((r) => r.id);
            const now = new Date();
            const marks = ids.map(() => '?').join(',');
            await runner.query(
              `INSERT IGNORE INTO webhook_delivery
                 (event_id, app_key, url, channel_number, event, status, attempts, next_attempt_at, created_at)
               SELECT e.id, s.app_key, s.url, e.channel_number, e.event, 'pending', 0, ?, ?
               FROM partner_event e
               JOIN webhook_subscription s ON s.events = '*' OR FIND_IN_SET(e.event, s.events) > 0
               WHERE e.id IN (${marks})
               ORDER BY e.id`,
              [now, now, ...ids],
            );
            await runner.query(`UPDATE partner_event SET relayed_at = ? WHERE id IN (${marks})`, [now, ...ids]);
          }
          await runner.commitTransaction();
          return rows.length;
        } catch (err) {
          await runner.rollbackTransaction();
          throw err;
        }
      } finally {
        await runner.query("SELECT RELEASE_LOCK(CONCAT(DATABASE(), ':outbox-relay'))");
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Lanes whose first pending delivery is due and not being sent. Only a lane's head is ever put off
   * (the others keep their creation time), so the latest next_attempt_at of a lane is its head's.
   */
  async dueLanes(limit = 500): Promise<Lane[]> {
    const now = new Date();
    return this.dataSource.query<Lane[]>(
      `SELECT app_key AS appKey, channel_number AS channelNumber FROM webhook_delivery
       WHERE status = 'pending'
       GROUP BY app_key, channel_number
       HAVING MAX(next_attempt_at) <= ? AND (MAX(lease_until) IS NULL OR MAX(lease_until) < ?)
       LIMIT ?`,
      [now, now, limit],
    );
  }

  /**
   * Sends the lane's deliveries in eventID order until it is empty, its head must wait for a retry, or
   * another worker holds the head. Returns in how many ms the lane wants to be tried again (null: not
   * this job's business any more).
   */
  async deliverLane(lane: Lane): Promise<number | null> {
    for (let sent = 0; sent < LANE_BATCH; sent++) {
      const head = await this.deliveries.findOne({
        where: { appKey: lane.appKey, channelNumber: lane.channelNumber, status: 'pending' },
        order: { eventId: 'ASC' },
      });
      if (!head) {
        return null;
      }
      const now = new Date();
      if (head.nextAttemptAt.getTime() > now.getTime()) {
        return head.nextAttemptAt.getTime() - now.getTime();
      }
      if (!(await this.claim(head, now))) {
        return null;
      }
      const retryInMs = await this.attempt(head);
      if (retryInMs !== null) {
        return retryInMs;
      }
    }
    return 0;
  }

  /** Takes the lease of a delivery; false when another worker holds it or it is no longer pending. */
  private async claim(delivery: WebhookDelivery, now: Date): Promise<boolean> {
    const result = await this.dataSource.query<AffectedResult>(
      `UPDATE webhook_delivery SET lease_until = ?
       WHERE id = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?)`,
      [new Date(now.getTime() + LEASE_MS), delivery.id, now],
    );
    return result.affectedRows === 1;
  }

  /** One attempt; null when the lane may go on (delivered or failed for good), else the retry delay. */
  private async attempt(delivery: WebhookDelivery): Promise<number | null> {
    const attempts = delivery.attempts + 1;
    try {
      const event = await this.events.findOneBy({ id: delivery.eventId });
      const app = await this.apps.findCredentials(delivery.appKey);
      if (!event || !app || !app.enabled) {
        throw new WebhookDeliveryError(
          !event ? 'event missing' : `app ${delivery.appKey} is unknown or disabled`,
          true,
        );
      }
      const { statusCode } = await this.client.send(delivery.url, this.fieldsOf(event, delivery.appKey), app.secret);
      await this.deliveries.update(
        { id: delivery.id, status: 'pending' },
        {
          status: 'delivered',
          attempts,
          lastStatusCode: statusCode,
          lastError: '',
          deliveredAt: new Date(),
          leaseUntil: null,
        },
      );
      return null;
    } catch (err) {
      const failure =
        err instanceof WebhookDeliveryError ? err : new WebhookDeliveryError((err as Error).message, false);
      const final = failure.permanent || attempts >= this.config.webhooks.attempts;
      const delayMs = this.config.webhooks.backoffMs * 2 ** (attempts - 1);
      await this.deliveries.update(
        { id: delivery.id, status: 'pending' },
        {
          attempts,
          lastStatusCode: failure.statusCode,
          lastError: failure.message.slice(0, ERROR_COLUMN_LENGTH),
          leaseUntil: null,
          ...(final ? { status: 'failed' as const } : { nextAttemptAt: new Date(Date.now() + delayMs) }),
        },
      );
      this.logger.warn({
        msg: final ? 'webhook delivery failed for good' : 'webhook delivery failed, will retry',
        eventId: delivery.eventId,
        appKey: delivery.appKey,
        attempt: attempts,
        error: failure.message,
      });
      return final ? null : delayMs;
    }
  }

  private fieldsOf(event: PartnerEvent, appKey: string): WebhookFields {
    return {
      event: event.event,
      eventID: event.id,
      occurredAt: String(Math.floor(event.occurredAt.getTime() / 1000)),
      channelNumber: event.channelNumber,
      actorAccountID: event.actorAccountId,
      subjectAccountID: event.subjectAccountId,
      data: event.data,
      appKey,
    };
  }
}
