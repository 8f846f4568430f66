import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Channel status (API.md 5.2, 5.6): 1 normal, 2 closed by the company, 3 dissolved by the owner. */
export enum ChannelStatus {
  Normal = 1,
  Closed = 2,
  Dissolved = 3,
}

/**
 * A group ("secret") channel. The AUTO_INCREMENT id is the number sequence: channelNumber is the id
 * zero-padded to 9 digits, so numbers are unique under any concurrency and never computed as max+1.
 */
@Entity({ name: 'secret_channel' })
@Index('idx_secret_channel_owner', ['ownerAccountId', 'status'])
// The public list's order is member_count DESC, id ASC: the migration makes member_count a descending key part.
@Index('idx_secret_channel_public_rank', ['openType', 'status', 'memberCount', 'id'])
@Index('idx_secret_channel_public_city', ['openType', 'status', 'cityCode', 'memberCount', 'id'])
@Index('uq_secret_channel_owner_live_name', ['ownerAccountId', 'liveName'], { unique: true })
export class SecretChannel {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  /** Null only between the INSERT and the UPDATE of the apply transaction (the number derives from id). */
  @Index('uq_secret_channel_number', { unique: true })
  @Column({ name: 'channel_number', type: 'varchar', length: 10, nullable: true })
  channelNumber: string | null;

  /** The invitation code `<channelNumber>|<32 hex>`; null only inside the apply transaction. */
  @Index('uq_secret_channel_unique_code', { unique: true })
  @Column({ name: 'unique_code', type: 'varchar', length: 43, nullable: true, collation: 'utf8mb4_bin' })
  uniqueCode: string | null;

  @Column({ name: 'owner_account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  ownerAccountId: string;

  /** Exact text as given; binary collation so "same name" means the same characters. */
  @Column({ type: 'varchar', length: 16, collation: 'utf8mb4_bin' })
  name: string;

  /**
   * The name while the channel is not dissolved, NULL after: with the unique key on
   * (owner, live_name) the database itself refuses a second live channel of one name per owner.
   * A plain column written by the service (not a generated one, which TypeORM's MariaDB driver can
   * only track through an extra metadata table).
   */
  @Column({ name: 'live_name', type: 'varchar', length: 16, collation: 'utf8mb4_bin', nullable: true })
  liveName: string | null;

  @Column({ type: 'varchar', length: 128 })
  introduction: string;

  /** `0` (nationwide) or a 6-digit GB/T 2260 code. */
  @Column({ name: 'city_code', type: 'varchar', length: 6 })
  cityCode: string;

  @Column({ name: 'city_name', type: 'varchar', length: 64 })
  cityName: string;

  @Column({ name: 'catalog_id', type: 'varchar', length: 11 })
  catalogId: string;

  @Column({ name: 'catalog_name', type: 'varchar', length: 64 })
  catalogName: string;

  @Column({ name: 'logo_url', type: 'varchar', length: 128, default: '' })
  logoUrl: string;

  /** Comma list of at most 5 tags as given. */
  @Column({ type: 'varchar', length: 64, default: '' })
  keywords: string;

  /** 1: listed publicly (fetchSecretChannel infoType 1) and its invitation code is public. */
  @Column({ name: 'open_type', type: 'tinyint' })
  openType: number;

  /** 1: joins wait for the owner's approval (member status 4). */
  @Column({ name: 'is_verify', type: 'tinyint', default: 0 })
  isVerify: number;

  @Column({ type: 'int', unsigned: true })
  capacity: number;

  /** Active members that count against capacity: every role, every status but 4 (pending). */
  @Column({ name: 'member_count', type: 'int', unsigned: true, default: 0 })
  memberCount: number;

  @Column({ type: 'tinyint', default: ChannelStatus.Normal })
  status: ChannelStatus;

  /** Absolute URL of the spoken name, filled in when the speech-synthesis job finishes. */
  @Column({ name: 'voice_url', type: 'varchar', length: 512, default: '' })
  voiceUrl: string;

  @Column({ name: 'app_key', type: 'varchar', length: 10 })
  appKey: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
