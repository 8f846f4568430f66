import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One state change: who did what to which entity, with the state before and after. */
@Entity({ name: 'audit_log' })
@Index('idx_audit_entity', ['entityType', 'entityId'])
@Index('idx_audit_actor', ['actorAccountId'])
export class AuditLog {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  /** The acting account, or null for the system and the admin API. */
  @Column({ name: 'actor_account_id', type: 'varchar', length: 10, nullable: true, collation: 'utf8mb4_bin' })
  actorAccountId: string | null;

  @Column({ name: 'app_key', type: 'varchar', length: 10, nullable: true })
  appKey: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 64 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64 })
  entityId: string;

  @Column({ name: 'before_state', type: 'json', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ name: 'after_state', type: 'json', nullable: true })
  after: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 255, default: '' })
  remark: string;

  @Index('idx_audit_created')
  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
