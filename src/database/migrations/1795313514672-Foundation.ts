import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795313514672 implements MigrationInterface {
  name = 'Foundation1795313514672';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`access_token\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`token_hash\` char(64) NOT NULL, \`app_key\` varchar(10) NOT NULL, \`account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`expires_at\` datetime(3) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_access_token_hash\` (\`token_hash\`), INDEX \`idx_access_token_account\` (\`app_key\`, \`account_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`account\` (\`account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`nickname\` varchar(64) NOT NULL DEFAULT '', \`roles\` text NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`account_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`partner_app\` (\`app_key\` varchar(10) NOT NULL, \`name\` varchar(64) NOT NULL, \`secret\` char(40) NOT NULL, \`require_timestamp\` tinyint NOT NULL DEFAULT 0, \`enabled\` tinyint NOT NULL DEFAULT 1, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`app_key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`audit_log\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`actor_account_id\` varchar(10) COLLATE "utf8mb4_bin" NULL, \`app_key\` varchar(10) NULL, \`action\` varchar(64) NOT NULL, \`entity_type\` varchar(64) NOT NULL, \`entity_id\` varchar(64) NOT NULL, \`before_state\` json NULL, \`after_state\` json NULL, \`remark\` varchar(255) NOT NULL DEFAULT '', \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_audit_created\` (\`created_at\`), INDEX \`idx_audit_actor\` (\`actor_account_id\`), INDEX \`idx_audit_entity\` (\`entity_type\`, \`entity_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`catalog\` (\`catalog_id\` varchar(11) NOT NULL, \`name\` varchar(64) NOT NULL, \`catalog_type\` tinyint NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (\`catalog_id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`catalog\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_entity\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_actor\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_created\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`partner_app\``);
    await queryRunner.query(`DROP TABLE \`account\``);
    await queryRunner.query(`DROP INDEX \`idx_access_token_account\` ON \`access_token\``);
    await queryRunner.query(`DROP INDEX \`uq_access_token_hash\` ON \`access_token\``);
    await queryRunner.query(`DROP TABLE \`access_token\``);
  }
}
