import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CacheInvalidationService } from '../common/cache/cache-invalidation.service';
import { AppConfig } from '../config/configuration';
import { EventOutboxService } from '../partner-events/event-outbox.service';
import { MemberStatus } from './entities/secret-channel-member.entity';
import { MEMBER_ENTITY, SECRET_CHANNEL_TOPIC, unixSeconds } from './secret-channel.store';

/** How often a worker looks for timed mutes that ran out. Reads never wait for it (effectiveStatus). */
export const MUTE_SWEEP_INTERVAL_MS = 1000;
const SWEEP_BATCH = 200;

interface ExpiredMute {
  id: string;
  channelId: string;
  accountId: string;
  muteUntil: Date;
}

interface AffectedResult {
  affectedRows?: number;
}

/**
 * Ends timed mutes whose time has passed (API.md 11) in worker processes: the row goes back to normal,
 * with an audit row and a member_status_changed event whose actor is the service (""). Reads already
 * show the member as normal from the second the mute ends; the sweeper makes the stored row, the trail
 * and the partners catch up. Safe with several workers: each mute is ended by a conditional UPDATE that
 * only one of them can win, under the channel's row lock (taken with SKIP LOCKED, so a busy channel is
 * simply left for the next round instead of holding a sweeper up).
 */
@Injectable()
export class SecretChannelMuteSweeperService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SecretChannelMuteSweeperService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: EventOutboxService,
    private readonly invalidation: CacheInvalidationService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) {
      return;
    }
    this.timer = setInterval(() => {
      if (!this.running) {
        this.running = this.sweep()
          .catch((err: Error) => this.logger.warn({ msg: 'mute sweep failed', err: err.message }))
          .finally(() => (this.running = undefined));
      }
    }, MUTE_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Ends every timed mute that ran out by `now`; returns how many this process ended. */
  async sweep(now = new Date()): Promise<number> {
    const expired = await this.dataSource.query<ExpiredMute[]>(
      `SELECT id, channel_id AS channelId, account_id AS accountId, mute_until AS muteUntil
       FROM secret_channel_member WHERE status = ? AND mute_until <= ? ORDER BY mute_until LIMIT ?`,
      [MemberStatus.Muted, now, SWEEP_BATCH],
    );
    let ended = 0;
    for (const mute of expired) {
      const channelNumber = await this.end(mute, now);
      if (channelNumber !== null) {
        ended++;
        await this.invalidation.invalidate(SECRET_CHANNEL_TOPIC, channelNumber);
      }
    }
    return ended;
  }

  /** Ends one mute; the channel number when this process did it, null when it was not (or no longer) due. */
  private end(mute: ExpiredMute, now: Date): Promise<string | null> {
    return this.dataSource.transaction('READ COMMITTED', async (m) => {
      const [channel] = await m.query<Array<{ channelNumber: string }>>(
        'SELECT channel_number AS channelNumber FROM secret_channel WHERE id = ? FOR UPDATE SKIP LOCKED',
        [mute.channelId],
      );
      if (!channel) {
        return null;
      }
      const result = await m.query<AffectedResult>(
        `UPDATE secret_channel_member SET status = ?, mute_until = NULL
         WHERE id = ? AND status = ? AND mute_until <= ?`,
        [MemberStatus.Normal, mute.id, MemberStatus.Muted, now],
      );
      if (result.affectedRows !== 1) {
        return null;
      }
      const before = { memberStatus: MemberStatus.Muted, muteUntil: unixSeconds(mute.muteUntil) };
      const after = { memberStatus: MemberStatus.Normal };
      await this.audit.record(m, {
        action: 'secret-channel.mute-expired',
        entityType: MEMBER_ENTITY,
        entityId: `${channel.channelNumber}:${mute.accountId}`,
        before: { status: MemberStatus.Muted, muteUntil: before.muteUntil },
        after: { status: MemberStatus.Normal },
      });
      await this.events.record(m, {
        event: 'secret_channel.member_status_changed',
        channelNumber: channel.channelNumber,
        subjectAccountId: mute.accountId,
        before,
        after,
      });
      return channel.channelNumber;
    });
  }
}
