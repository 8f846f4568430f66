import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A partner application: its appKey and the secret its requests are signed with (API.md 3). */
@Entity({ name: 'partner_app' })
export class PartnerApp {
  @PrimaryColumn({ name: 'app_key', type: 'varchar', length: 10 })
  appKey: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** Needed in clear to verify signatures; never logged or returned after creation. */
  @Column({ type: 'char', length: 40 })
  secret: string;

  @Column({ name: 'require_timestamp', type: 'boolean', default: false })
  requireTimestamp: boolean;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
