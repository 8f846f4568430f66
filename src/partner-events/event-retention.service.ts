import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/configuration';

/** How often a worker deletes expired events and deliveries. */
export const RETENTION_INTERVAL_MS = 3_600_000;
/** Rows deleted per statement, so no purge holds many row locks or a long transaction. */
export const RETENTION_BATCH = 1000;
/** Statements per table and round; a larger backlog is worked off over the next rounds. */
const MAX_BATCHES = 50;

export interface RetentionReport {
  deliveries: number;
  events: number;
}

/**
 * Keeps the outbox bounded (API.md 12): in worker processes, every hour, deletes the partner events relayed
 * more than WEBHOOK_RETENTION_DAYS ago and their finished (delivered or failed) deliveries.
 * - A delivery still pending is kept, and so is its event, whatever their age.
 * - An event not yet relayed is kept: it has not been fanned out yet.
 * - The newest event is always kept, so the auto-increment behind eventID never goes back, even after a quiet
 *   month and a MySQL restart.
 * The cut is an event id: the newest event relayed before the cutoff, found on `idx_partner_event_relay`.
 * Every statement below it is a range on a primary or unique key. Several workers may run it at once:
 * the deletes are idempotent.
 */
@Injectable()
export class EventRetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventRetentionService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) {
      return;
    }
    this.timer = setInterval(() => {
      this.purge().catch((err: Error) => this.logger.warn({ msg: 'event retention round failed', err: err.message }));
    }, RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(now = new Date()): Promise<RetentionReport> {
    const cutoff = new Date(now.getTime() - this.config.webhooks.retentionDays * 86_400_000);
    const [boundary] = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM partner_event WHERE relayed_at IS NOT NULL AND relayed_at < ?
       ORDER BY relayed_at DESC, id DESC LIMIT 1`,
      [cutoff],
    );
    const report: RetentionReport = { deliveries: 0, events: 0 };
    if (!boundary) {
      return report;
    }
    const [{ newest }] = await this.dataSource.query<Array<{ newest: string }>>(
      'SELECT MAX(id) AS newest FROM partner_event',
    );
    const upTo = String(boundary.id) === String(newest) ? BigInt(boundary.id) - 1n : BigInt(boundary.id);
    report.deliveries = await this.inBatches(
      `DELETE FROM webhook_delivery WHERE event_id <= ? AND status IN ('delivered', 'failed') LIMIT ${RETENTION_BATCH}`,
      [String(upTo)],
    );
    report.events = await this.inBatches(
      `DELETE FROM partner_event WHERE id <= ? AND relayed_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = partner_event.id)
       LIMIT ${RETENTION_BATCH}`,
      [String(upTo)],
    );
    if (report.deliveries > 0 || report.events > 0) {
      this.logger.log({ msg: 'expired partner events deleted', ...report, before: cutoff.toISOString() });
    }
    return report;
  }

  private async inBatches(sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const result = await this.dataSource.query<{ affectedRows: number }>(sql, params);
      total += result.affectedRows;
      if (result.affectedRows < RETENTION_BATCH) {
        break;
      }
    }
    return total;
  }
}
