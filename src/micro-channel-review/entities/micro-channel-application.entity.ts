import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MicroChannelContent } from './micro-channel-content';

export enum ApplicationStatus {
  Pending = 0,
  Rejected = 1,
  Approved = 2,
}

/** An owner's request for a new micro channel, waiting for (or past) its first review. */
@Entity({ name: 'micro_channel_application' })
@Index('idx_mc_application_account_status', ['accountId', 'status'])
@Index('idx_mc_application_status', ['status', 'id'])
export class MicroChannelApplication {
  /** The applyIdx of applyMicroChannel and checkApplyMicroChannel. */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  accountId: string;

  /** As the owner typed it. */
  @Column({ name: 'channel_number', type: 'varchar', length: 15, collation: 'utf8mb4_bin' })
  channelNumber: string;

  /**
   * The lower-cased number while the application is pending, NULL once decided: the unique key
   * reserves a number for one pending application at a time.
   */
  @Index('uq_mc_application_pending_number', { unique: true })
  @Column({ name: 'pending_number_key', type: 'varchar', length: 15, collation: 'utf8mb4_bin', nullable: true })
  pendingNumberKey: string | null;

  @Column(() => MicroChannelContent, { prefix: false })
  content: MicroChannelContent;

  @Column({ type: 'tinyint' })
  status: ApplicationStatus;

  /** The app the owner applied through. */
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

  /** The live channel an approval created. */
  @Column({ name: 'channel_id', type: 'bigint', unsigned: true, nullable: true })
  channelId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
