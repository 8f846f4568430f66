import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event on its way to one app. (appKey, channelNumber) is a lane: only the pending delivery with
 * the lowest eventID of a lane is attempted, so a lane's events arrive in eventID order.
 */
@Entity({ name: 'webhook_delivery' })
@Index('uq_webhook_delivery_event_app', ['eventId', 'appKey'], { unique: true })
@Index('idx_webhook_delivery_lane', ['appKey', 'channelNumber', 'status', 'eventId'])
@Index('idx_webhook_delivery_pending', ['status', 'appKey', 'channelNumber'])
@Index('idx_webhook_delivery_app', ['appKey', 'id'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'event_id', type: 'bigint', unsigned: true })
  eventId: string;

  @Column({ name: 'app_key', type: 'varchar', length: 10 })
  appKey: string;

  /** The subscription's url when the event was relayed: a delivery already made goes where it was meant to. */
  @Column({ type: 'varchar', length: 512 })
  url: string;

  @Column({ name: 'channel_number', type: 'varchar', length: 15 })
  channelNumber: string;

  @Column({ type: 'varchar', length: 64 })
  event: string;

  @Column({ type: 'varchar', length: 10 })
  status: DeliveryStatus;

  @Column({ type: 'int', unsigned: true, default: 0 })
  attempts: number;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 512, default: '' })
  lastError: string;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3 })
  nextAttemptAt: Date;

  /** While set in the future, one worker is sending this delivery; a worker that died lets it lapse. */
  @Column({ name: 'lease_until', type: 'datetime', precision: 3, nullable: true })
  leaseUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt: Date | null;
}
