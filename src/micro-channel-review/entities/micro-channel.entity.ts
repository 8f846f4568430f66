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
import { MicroChannelApplication } from './micro-channel-application.entity';
import { MicroChannelContent } from './micro-channel-content';

export enum MicroChannelStatus {
  Open = 1,
  Closed = 2,
}

/** A live micro channel, created when its application is approved; edits reach it only by re-review. */
@Entity({ name: 'micro_channel' })
@Index('idx_micro_channel_account', ['accountId'])
export class MicroChannel {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  /** As the owner chose it (6-15 letters and digits, first a letter). */
  @Column({ name: 'channel_number', type: 'varchar', length: 15, collation: 'utf8mb4_bin' })
  channelNumber: string;

  /** The lower-cased number: numbers are unique regardless of case. */
  @Index('uq_micro_channel_number_key', { unique: true })
  @Column({ name: 'number_key', type: 'varchar', length: 15, collation: 'utf8mb4_bin' })
  numberKey: string;

  /** The owner. */
  @Column({ name: 'account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  accountId: string;

  @Column(() => MicroChannelContent, { prefix: false })
  content: MicroChannelContent;

  /** The spoken name (`微频道` + name) as an absolute URL of an AMR clip. */
  @Column({ name: 'voice_url', type: 'varchar', length: 512 })
  voiceUrl: string;

  @Column({ name: 'voice_clip_id', type: 'varchar', length: 64 })
  voiceClipId: string;

  @Column({ type: 'tinyint' })
  status: MicroChannelStatus;

  @Index('uq_micro_channel_application', { unique: true })
  @Column({ name: 'application_id', type: 'bigint', unsigned: true })
  applicationId: string;

  @ManyToOne(() => MicroChannelApplication, { onDelete: 'RESTRICT', onUpdate: 'RESTRICT' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_micro_channel_application' })
  application?: MicroChannelApplication;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
