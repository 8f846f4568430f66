import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The outbox (API.md 12): one row per event, written in the same transaction as the change it reports.
 * The id is the eventID every app receives. `relayedAt` is set once the relay has fanned the event out
 * into deliveries.
 */
@Entity({ name: 'partner_event' })
@Index('idx_partner_event_relay', ['relayedAt', 'id'])
export class PartnerEvent {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  event: string;

  /** A group channel number, a micro channel number or a temp channel id; '' for none. */
  @Column({ name: 'channel_number', type: 'varchar', length: 15, default: '' })
  channelNumber: string;

  @Column({ name: 'actor_account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin', default: '' })
  actorAccountId: string;

  @Column({ name: 'subject_account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin', default: '' })
  subjectAccountId: string;

  /** JSON text `{"before":...,"after":...}` sent as the `data` field. */
  @Column({ type: 'text' })
  data: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;

  @Column({ name: 'relayed_at', type: 'datetime', precision: 3, nullable: true })
  relayedAt: Date | null;
}
