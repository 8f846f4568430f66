import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Member status (API.md 6): 1 normal, 2 muted, 3 blacklisted, 4 pending approval. */
export enum MemberStatus {
  Normal = 1,
  Muted = 2,
  Blacklisted = 3,
  Pending = 4,
}

/**
 * One account's membership of one channel; the row outlives quitting (active = false) so a
 * blacklist and a mute survive a quit and a re-join.
 */
@Entity({ name: 'secret_channel_member' })
@Index('uq_secret_channel_member', ['channelId', 'accountId'], { unique: true })
@Index('idx_secret_channel_member_joined', ['accountId', 'active', 'channelId'])
export class SecretChannelMember {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'channel_id', type: 'bigint', unsigned: true })
  channelId: string;

  @Column({ name: 'account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  accountId: string;

  @Column({ type: 'varchar', length: 8 })
  role: MemberRole;

  @Column({ type: 'tinyint', default: MemberStatus.Normal })
  status: MemberStatus;

  /** False once the member quit (or the channel was dissolved). */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** What the applicant wrote when joining (shown to the owner of an isVerify channel). */
  @Column({ type: 'varchar', length: 128, default: '' })
  remark: string;

  /**
   * End of a timed mute (API.md 11); null for a mute until lifted and for every other status. A row
   * whose time has passed reads as normal at once (effectiveStatus) even before the sweeper rewrites it.
   */
  @Column({ name: 'mute_until', type: 'datetime', precision: 3, nullable: true })
  muteUntil: Date | null;

  @Column({ name: 'joined_at', type: 'datetime', precision: 3 })
  joinedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}

/** True for a timed mute whose time has passed: the member is normal again (API.md 11). */
export function muteHasRunOut(row: Pick<SecretChannelMember, 'status' | 'muteUntil'>, now: Date): boolean {
  return row.status === MemberStatus.Muted && row.muteUntil !== null && row.muteUntil.getTime() <= now.getTime();
}

/** The status a member has right now: a timed mute that ran out is normal, whether or not the row was swept. */
export function effectiveStatus(
  row: Pick<SecretChannelMember, 'status' | 'muteUntil'>,
  now = new Date(),
): MemberStatus {
  return muteHasRunOut(row, now) ? MemberStatus.Normal : row.status;
}
