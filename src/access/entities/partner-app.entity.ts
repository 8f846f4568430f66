import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A partner application: its appKey and the secret its requests are signed with (API.md 3). The secret is
 * stored only as a SecretCipher ciphertext (API.md 10); after a rotation the previous one keeps signing
 * until `previousValidUntil`.
 */
@Entity({ name: 'partner_app' })
export class PartnerApp {
  @PrimaryColumn({ name: 'app_key', type: 'varchar', length: 10 })
  appKey: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'secret_ciphertext', type: 'varchar', length: 255 })
  secretCiphertext: string;

  @Column({ name: 'previous_secret_ciphertext', type: 'varchar', length: 255, nullable: true })
  previousSecretCiphertext: string | null;

  @Column({ name: 'previous_valid_until', type: 'datetime', precision: 3, nullable: true })
  previousValidUntil: Date | null;

  @Column({ name: 'secret_rotated_at', type: 'datetime', precision: 3, nullable: true })
  secretRotatedAt: Date | null;

  @Column({ name: 'require_timestamp', type: 'boolean', default: false })
  requireTimestamp: boolean;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
