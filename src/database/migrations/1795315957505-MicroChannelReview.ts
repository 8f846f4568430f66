import { MigrationInterface, QueryRunner } from 'typeorm';

export class MicroChannelReview1795315957505 implements MigrationInterface {
  name = 'MicroChannelReview1795315957505';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`micro_channel_application\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`channel_number\` varchar(15) COLLATE "utf8mb4_bin" NOT NULL, \`pending_number_key\` varchar(15) COLLATE "utf8mb4_bin" NULL, \`status\` tinyint NOT NULL, \`app_key\` varchar(10) NOT NULL, \`reviewer_account_id\` varchar(10) COLLATE "utf8mb4_bin" NULL, \`reviewed_at\` datetime(3) NULL, \`check_remark\` varchar(64) NOT NULL DEFAULT '', \`check_app_key\` varchar(10) NULL, \`channel_id\` bigint UNSIGNED NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`channel_name\` varchar(16) NOT NULL, \`introduction\` varchar(128) NOT NULL, \`chief_announcer_intr\` varchar(128) NOT NULL, \`city_code\` varchar(6) NOT NULL, \`city_name\` varchar(64) NOT NULL, \`catalog_id\` varchar(11) NOT NULL, \`catalog_name\` varchar(64) NOT NULL, \`logo_url\` varchar(128) NOT NULL DEFAULT '', \`key_words\` varchar(64) NOT NULL DEFAULT '', UNIQUE INDEX \`uq_mc_application_pending_number\` (\`pending_number_key\`), INDEX \`idx_mc_application_status\` (\`status\`, \`id\`), INDEX \`idx_mc_application_account_status\` (\`account_id\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`micro_channel\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`channel_number\` varchar(15) COLLATE "utf8mb4_bin" NOT NULL, \`number_key\` varchar(15) COLLATE "utf8mb4_bin" NOT NULL, \`account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`voice_url\` varchar(512) NOT NULL, \`voice_clip_id\` varchar(64) NOT NULL, \`status\` tinyint NOT NULL, \`application_id\` bigint UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`channel_name\` varchar(16) NOT NULL, \`introduction\` varchar(128) NOT NULL, \`chief_announcer_intr\` varchar(128) NOT NULL, \`city_code\` varchar(6) NOT NULL, \`city_name\` varchar(64) NOT NULL, \`catalog_id\` varchar(11) NOT NULL, \`catalog_name\` varchar(64) NOT NULL, \`logo_url\` varchar(128) NOT NULL DEFAULT '', \`key_words\` varchar(64) NOT NULL DEFAULT '', UNIQUE INDEX \`uq_micro_channel_number_key\` (\`number_key\`), UNIQUE INDEX \`uq_micro_channel_application\` (\`application_id\`), INDEX \`idx_micro_channel_account\` (\`account_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`micro_channel_edit\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`channel_id\` bigint UNSIGNED NOT NULL, \`pending_channel_id\` bigint UNSIGNED NULL, \`account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`status\` tinyint NOT NULL, \`app_key\` varchar(10) NOT NULL, \`reviewer_account_id\` varchar(10) COLLATE "utf8mb4_bin" NULL, \`reviewed_at\` datetime(3) NULL, \`check_remark\` varchar(64) NOT NULL DEFAULT '', \`check_app_key\` varchar(10) NULL, \`voice_url\` varchar(512) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), \`channel_name\` varchar(16) NOT NULL, \`introduction\` varchar(128) NOT NULL, \`chief_announcer_intr\` varchar(128) NOT NULL, \`city_code\` varchar(6) NOT NULL, \`city_name\` varchar(64) NOT NULL, \`catalog_id\` varchar(11) NOT NULL, \`catalog_name\` varchar(64) NOT NULL, \`logo_url\` varchar(128) NOT NULL DEFAULT '', \`key_words\` varchar(64) NOT NULL DEFAULT '', UNIQUE INDEX \`uq_mc_edit_pending_channel\` (\`pending_channel_id\`), INDEX \`idx_mc_edit_status\` (\`status\`, \`id\`), INDEX \`idx_mc_edit_channel\` (\`channel_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `ALTER TABLE \`micro_channel\` ADD CONSTRAINT \`fk_micro_channel_application\` FOREIGN KEY (\`application_id\`) REFERENCES \`micro_channel_application\`(\`id\`) ON DELETE RESTRICT ON UPDATE RESTRICT`,
    );
    await queryRunner.query(
      `ALTER TABLE \`micro_channel_edit\` ADD CONSTRAINT \`fk_mc_edit_channel\` FOREIGN KEY (\`channel_id\`) REFERENCES \`micro_channel\`(\`id\`) ON DELETE RESTRICT ON UPDATE RESTRICT`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`micro_channel_edit\` DROP FOREIGN KEY \`fk_mc_edit_channel\``);
    await queryRunner.query(`ALTER TABLE \`micro_channel\` DROP FOREIGN KEY \`fk_micro_channel_application\``);
    await queryRunner.query(`DROP INDEX \`idx_mc_edit_channel\` ON \`micro_channel_edit\``);
    await queryRunner.query(`DROP INDEX \`idx_mc_edit_status\` ON \`micro_channel_edit\``);
    await queryRunner.query(`DROP INDEX \`uq_mc_edit_pending_channel\` ON \`micro_channel_edit\``);
    await queryRunner.query(`DROP TABLE \`micro_channel_edit\``);
    await queryRunner.query(`DROP INDEX \`idx_micro_channel_account\` ON \`micro_channel\``);
    await queryRunner.query(`DROP INDEX \`uq_micro_channel_application\` ON \`micro_channel\``);
    await queryRunner.query(`DROP INDEX \`uq_micro_channel_number_key\` ON \`micro_channel\``);
    await queryRunner.query(`DROP TABLE \`micro_channel\``);
    await queryRunner.query(`DROP INDEX \`idx_mc_application_account_status\` ON \`micro_channel_application\``);
    await queryRunner.query(`DROP INDEX \`idx_mc_application_status\` ON \`micro_channel_application\``);
    await queryRunner.query(`DROP INDEX \`uq_mc_application_pending_number\` ON \`micro_channel_application\``);
    await queryRunner.query(`DROP TABLE \`micro_channel_application\``);
  }
}
