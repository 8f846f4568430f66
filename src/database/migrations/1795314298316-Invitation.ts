import { MigrationInterface, QueryRunner } from 'typeorm';

export class Invitation1795314298316 implements MigrationInterface {
  name = 'Invitation1795314298316';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`invitation\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`batch_id\` char(32) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`app_key\` varchar(10) NOT NULL, \`sender_account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`receiver_account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL, \`temp_channel_id\` varchar(8) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`multimedia_url\` varchar(1024) NOT NULL, \`callback_url\` varchar(512) NOT NULL, \`delivery_state\` varchar(16) NOT NULL DEFAULT 'queued', \`delivery_attempts\` int UNSIGNED NOT NULL DEFAULT '0', \`weibo_bizid\` varchar(128) NULL, \`delivered_at\` datetime(3) NULL, \`delivery_error\` varchar(512) NULL, \`accepted_at\` datetime(3) NULL, \`callback_state\` varchar(16) NOT NULL DEFAULT 'none', \`callback_attempts\` int UNSIGNED NOT NULL DEFAULT '0', \`callback_delivered_at\` datetime(3) NULL, \`callback_error\` varchar(512) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX \`idx_invitation_sender\` (\`sender_account_id\`, \`id\`), INDEX \`idx_invitation_channel\` (\`temp_channel_id\`, \`id\`), INDEX \`idx_invitation_receiver_channel\` (\`receiver_account_id\`, \`temp_channel_id\`, \`id\`), UNIQUE INDEX \`uq_invitation_batch_receiver\` (\`batch_id\`, \`receiver_account_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_invitation_batch_receiver\` ON \`invitation\``);
    await queryRunner.query(`DROP INDEX \`idx_invitation_receiver_channel\` ON \`invitation\``);
    await queryRunner.query(`DROP INDEX \`idx_invitation_channel\` ON \`invitation\``);
    await queryRunner.query(`DROP INDEX \`idx_invitation_sender\` ON \`invitation\``);
    await queryRunner.query(`DROP TABLE \`invitation\``);
  }
}
