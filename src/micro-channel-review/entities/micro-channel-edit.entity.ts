import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { MicroChannel } from './micro-channel.entity';
import { MicroChannelContent } from './micro-channel-content';

export enum EditStatus {
  Pending = 0,
  Rejected = 1,
  Approved = 2,
  /** The owner filed a newer edit before this one was decided. */
  Superseded = 3,
}

/**
 * An owner's edit of a live micro channel, waiting for (or past) re-review. It holds the complete
 * proposed content (the live content with the owner's changes applied when filed), so approving it
 * replaces the live content as a whole.
 */
@Entity({ name: 'micro_channel_edit' })
@Index('idx_mc_edit_channel', ['channelId', 'id'])
@Index('idx_mc_edit_status', ['status', 'id'])
@Index('idx_mc_edit_review', ['status', 'channelOpen', 'id'])
@Index('idx_mc_edit_review_city', ['status', 'channelOpen', 'content.cityCode', 'id'])
@Index('idx_mc_edit_review_catalog', ['status', 'channelOpen', 'content.catalogId', 'id'])
@Index('idx_mc_edit_review_city_catalog', ['status', 'channelOpen', 'content.cityCode', 'content.catalogId', 'id'])
export class MicroChannelEdit {
  /** The applyIdx of modifyMicroChannel and recheckMicroChannel. */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'channel_id', type: 'bigint', unsigned: true })
  channelId: string;

  @ManyToOne(() => MicroChannel, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'fk_mc_edit_channel' })
  channel?: MicroChannel;

  /** The channel id while the edit is pending, NULL once decided: one pending edit per channel. */
  @Index('uq_mc_edit_pending_channel', { unique: true })
  @Column({ name: 'pending_channel_id', type: 'bigint', unsigned: true, nullable: true })
  pendingChannelId: string | null;

  /** The owner who filed it. */
  @Column({ name: 'account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  accountId: string;

  @Column(() => MicroChannelContent, { prefix: false })
  content: MicroChannelContent;

  @Column({ type: 'tinyint' })
  status: EditStatus;

  /**
   * A copy of the channel's status (open or not), kept by close and reopen in their transaction, so the
   * re-review list filters and pages on this table's indexes alone (no join per skipped row).
   */
  @Column({ name: 'channel_open', type: 'boolean', default: true })
  channelOpen: boolean;

  @Column({ name: 'app_key', type: 'varchar', length: 10 })
  appKey: string;

  @Column({ name: 'reviewer_account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin', nullable: true })
  reviewerAccountId: string | null;

  @Column({ name: 'reviewed_at', type: 'datetime', precision: 3, nullable: true })
  reviewedAt: Date | null;

  @Column({ name: 'check_remark', type: 'varchar', length: 64, default: '' })
  checkRemark: string;

  /** The app the reviewer decided through; NULL for the admin console. */
  @Column({ name: 'check_app_key', type: 'varchar', length: 10, nullable: true })
  checkAppKey: string | null;

  /** The voice URL an approval gave the channel. */
  @Column({ name: 'voice_url', type: 'varchar', length: 512, nullable: true })
  voiceUrl: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
