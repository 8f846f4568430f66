import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An access token issued to one (appKey, accountID); only the SHA-256 of the token is stored. */
@Entity({ name: 'access_token' })
@Index('idx_access_token_account', ['appKey', 'accountId'])
@Index('idx_access_token_account_only', ['accountId'])
export class AccessToken {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Index('uq_access_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'app_key', type: 'varchar', length: 10 })
  appKey: string;

  @Column({ name: 'account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  accountId: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  /** Set by POST /admin/tokens/revoke; a revoked token answers ME01003 like an unknown one. */
  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
