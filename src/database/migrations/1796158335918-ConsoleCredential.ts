import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsoleCredential1796158335918 implements MigrationInterface {
  name = 'ConsoleCredential1796158335918';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`console_credential\` (\`account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`password_hash\` varchar(255) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (\`account_id\`), CONSTRAINT \`fk_console_credential_account\` FOREIGN KEY (\`account_id\`) REFERENCES \`account\`(\`account_id\`) ON DELETE CASCADE ON UPDATE RESTRICT) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`console_credential\``);
  }
}
