import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A staff account's console password (API.md 14), kept apart from the account row so the account routes
 * never carry it. Only the scrypt hash is stored, in the self-describing form of ConsolePasswordService.
 */
@Entity({ name: 'console_credential' })
export class ConsoleCredential {
  @PrimaryColumn({ name: 'account_id', type: 'varchar', length: 10, collation: 'utf8mb4_bin' })
  accountId: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, charset: 'ascii', collation: 'ascii_bin' })
  passwordHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
