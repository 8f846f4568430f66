import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Weibo posting of the invitation: queued until the Weibo service took it (sent) or retries ran out. */
export const DELIVERY_STATES = ['queued', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** The partner callback: none until the recipient accepts, then queued until delivered or retries ran out. */
export const CALLBACK_STATES = ['none', 'queued', 'delivered', 'failed'] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];

/**
 * One recipient's invitation to a live temp channel (API.md 5.5): created by inviteUserJoin, posted to
 * the recipient through Weibo, accepted through acceptInvitation, reported to the inviting partner's
 * callback URL. The row carries the whole life of the invitation.
 */
@Entity({ name: 'invitation' })
@Index('uq_invitation_batch_receiver', ['batchId', 'receiverAccountId'], { unique: true })
@Index('idx_invitation_receiver_channel', ['receiverAccountId', 'tempChannelId', 'id'])
@Index('idx_invitation_channel', ['tempChannelId', 'id'])
@Index('idx_invitation_sender', ['senderAccountId', 'id'])
export class Invitation {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  /** One inviteUserJoin request: every invitation it created shares this id. */
  @Column({ name: 'batch_id', type: 'char', length: 32, charset: 'ascii', collation: 'ascii_bin' })
  batchId: string;

  /** The partner app that sent inviteUserJoin; its secret signs the callback. */
  @Column({ name: 'app_key', type: 'varchar', length: 10 })
  appKey: string;

  @Column({ name: 'sender_account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  senderAccountId: string;

  @Column({ name: 'receiver_account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  receiverAccountId: string;

  @Column({ name: 'temp_channel_id', type: 'varchar', length: 8, charset: 'ascii', collation: 'ascii_bin' })
  tempChannelId: string;

  @Column({ name: 'multimedia_url', type: 'varchar', length: 1024 })
  multimediaUrl: string;

  /** Exactly as the partner sent (and signed) it, query string included. */
  @Column({ name: 'callback_url', type: 'varchar', length: 512 })
  callbackUrl: string;

  @Column({ name: 'delivery_state', type: 'varchar', length: 16, default: 'queued' })
  deliveryState: DeliveryState;

  @Column({ name: 'delivery_attempts', type: 'int', unsigned: true, default: 0 })
  deliveryAttempts: number;

  /** The Weibo service's id of the posted message. */
  @Column({ name: 'weibo_bizid', type: 'varchar', length: 128, nullable: true })
  weiboBizid: string | null;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'delivery_error', type: 'varchar', length: 512, nullable: true })
  deliveryError: string | null;

  @Column({ name: 'accepted_at', type: 'datetime', precision: 3, nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'callback_state', type: 'varchar', length: 16, default: 'none' })
  callbackState: CallbackState;

  @Column({ name: 'callback_attempts', type: 'int', unsigned: true, default: 0 })
  callbackAttempts: number;

  @Column({ name: 'callback_delivered_at', type: 'datetime', precision: 3, nullable: true })
  callbackDeliveredAt: Date | null;

  @Column({ name: 'callback_error', type: 'varchar', length: 512, nullable: true })
  callbackError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
