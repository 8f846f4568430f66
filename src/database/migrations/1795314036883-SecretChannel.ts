import { MigrationInterface, QueryRunner } from 'typeorm';

export class SecretChannel1795314036883 implements MigrationInterface {
  name = 'SecretChannel1795314036883';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`secret_channel_key_binding\` (\`account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`action_type\` tinyint NOT NULL, \`channel_id\` bigint UNSIGNED NOT NULL, \`bound_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`idx_secret_channel_key_binding_channel\` (\`channel_id\`), PRIMARY KEY (\`account_id\`, \`action_type\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`secret_channel_member\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`channel_id\` bigint UNSIGNED NOT NULL, \`account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`role\` varchar(8) NOT NULL, \`status\` tinyint NOT NULL DEFAULT '1', \`active\` tinyint NOT NULL DEFAULT 1, \`remark\` varchar(128) NOT NULL DEFAULT '', \`joined_at\` datetime(3) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_secret_channel_member_account\` (\`account_id\`, \`active\`), UNIQUE INDEX \`uq_secret_channel_member\` (\`channel_id\`, \`account_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`secret_channel\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`channel_number\` varchar(10) NULL, \`unique_code\` varchar(43) COLLATE "utf8mb4_bin" NULL, \`owner_account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`name\` varchar(16) COLLATE "utf8mb4_bin" NOT NULL, \`live_name\` varchar(16) COLLATE "utf8mb4_bin" NULL, \`introduction\` varchar(128) NOT NULL, \`city_code\` varchar(6) NOT NULL, \`city_name\` varchar(64) NOT NULL, \`catalog_id\` varchar(11) NOT NULL, \`catalog_name\` varchar(64) NOT NULL, \`logo_url\` varchar(128) NOT NULL DEFAULT '', \`keywords\` varchar(64) NOT NULL DEFAULT '', \`open_type\` tinyint NOT NULL, \`is_verify\` tinyint NOT NULL DEFAULT '0', \`capacity\` int UNSIGNED NOT NULL, \`member_count\` int UNSIGNED NOT NULL DEFAULT '0', \`status\` tinyint NOT NULL DEFAULT '1', \`voice_url\` varchar(512) NOT NULL DEFAULT '', \`app_key\` varchar(10) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_secret_channel_number\` (\`channel_number\`), UNIQUE INDEX \`uq_secret_channel_unique_code\` (\`unique_code\`), UNIQUE INDEX \`uq_secret_channel_owner_live_name\` (\`owner_account_id\`, \`live_name\`), INDEX \`idx_secret_channel_public\` (\`open_type\`, \`status\`, \`member_count\`), INDEX \`idx_secret_channel_owner\` (\`owner_account_id\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_owner\` ON \`secret_channel\``);
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_public\` ON \`secret_channel\``);
    await queryRunner.query(`DROP INDEX \`uq_secret_channel_owner_live_name\` ON \`secret_channel\``);
    await queryRunner.query(`DROP INDEX \`uq_secret_channel_unique_code\` ON \`secret_channel\``);
    await queryRunner.query(`DROP INDEX \`uq_secret_channel_number\` ON \`secret_channel\``);
    await queryRunner.query(`DROP TABLE \`secret_channel\``);
    await queryRunner.query(`DROP INDEX \`uq_secret_channel_member\` ON \`secret_channel_member\``);
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_member_account\` ON \`secret_channel_member\``);
    await queryRunner.query(`DROP TABLE \`secret_channel_member\``);
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_key_binding_channel\` ON \`secret_channel_key_binding\``);
    await queryRunner.query(`DROP TABLE \`secret_channel_key_binding\``);
  }
}
