import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The webhook of one partner app (API.md 12): where its events go and which ones. */
@Entity({ name: 'webhook_subscription' })
export class WebhookSubscription {
  @PrimaryColumn({ name: 'app_key', type: 'varchar', length: 10 })
  appKey: string;

  @Column({ type: 'varchar', length: 512 })
  url: string;

  /** Comma-separated event names, or `*` for all (matched with FIND_IN_SET by the relay). */
  @Column({ type: 'varchar', length: 1024 })
  events: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
