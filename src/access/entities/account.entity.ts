import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const ACCOUNT_ROLES = ['operator', 'reviewer'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** A platform user account (10 characters of [A-Za-z0-9], case-sensitive). */
@Entity({ name: 'account' })
export class Account {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  accountId: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  nickname: string;

  /** Company roles (API.md 6), stored as a comma list. */
  @Column({ type: 'simple-array' })
  roles: AccountRole[];

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
