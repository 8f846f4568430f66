import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The device keys a channel can be bound to: 4 the "+" key, 5 the "++" key. */
export const BINDABLE_KEYS = [4, 5] as const;
export type BindableKey = (typeof BINDABLE_KEYS)[number];

/**
 * Which channel a device key of an account points to. The primary key (account, key) is what makes
 * "a key points to at most one channel" hold whatever the concurrency: binding elsewhere moves the row.
 */
@Entity({ name: 'secret_channel_key_binding' })
@Index('idx_secret_channel_key_binding_channel', ['channelId'])
export class SecretChannelKeyBinding {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  accountId: string;

  @PrimaryColumn({ name: 'action_type', type: 'tinyint' })
  actionType: BindableKey;

  @Column({ name: 'channel_id', type: 'bigint', unsigned: true })
  channelId: string;

  @CreateDateColumn({ name: 'bound_at', type: 'datetime', precision: 3 })
  boundAt: Date;
}
