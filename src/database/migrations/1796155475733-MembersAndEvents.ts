import { MigrationInterface, QueryRunner } from 'typeorm';

export class MembersAndEvents1796155475733 implements MigrationInterface {
  name = 'MembersAndEvents1796155475733';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // role_rank is computed by the database (owner 0, admin 1, member 2) so the member list's order
    // (owner, admins, members, each by join time) is read straight off idx_secret_channel_member_list.
    await queryRunner.query(
      `ALTER TABLE \`secret_channel_member\` ADD \`mute_until\` datetime(3) NULL, ADD \`role_rank\` tinyint AS (CASE \`role\` WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END) PERSISTENT, ADD INDEX \`idx_secret_channel_member_list\` (\`channel_id\`, \`active\`, \`role_rank\`, \`joined_at\`, \`id\`), ADD INDEX \`idx_secret_channel_member_mute\` (\`status\`, \`mute_until\`)`,
    );
    await queryRunner.query(
      `CREATE TABLE \`partner_event\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`event\` varchar(64) NOT NULL, \`channel_number\` varchar(15) NOT NULL DEFAULT '', \`actor_account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL DEFAULT '', \`subject_account_id\` varchar(10) COLLATE "utf8mb4_bin" NOT NULL DEFAULT '', \`data\` text NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`relayed_at\` datetime(3) NULL, INDEX \`idx_partner_event_relay\` (\`relayed_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_subscription\` (\`app_key\` varchar(10) NOT NULL, \`url\` varchar(512) NOT NULL, \`events\` varchar(1024) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`app_key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_delivery\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`event_id\` bigint UNSIGNED NOT NULL, \`app_key\` varchar(10) NOT NULL, \`url\` varchar(512) NOT NULL, \`channel_number\` varchar(15) NOT NULL, \`event\` varchar(64) NOT NULL, \`status\` varchar(10) NOT NULL, \`attempts\` int UNSIGNED NOT NULL DEFAULT '0', \`last_status_code\` int NULL, \`last_error\` varchar(512) NOT NULL DEFAULT '', \`next_attempt_at\` datetime(3) NOT NULL, \`lease_until\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`delivered_at\` datetime(3) NULL, UNIQUE INDEX \`uq_webhook_delivery_event_app\` (\`event_id\`, \`app_key\`), INDEX \`idx_webhook_delivery_lane\` (\`app_key\`, \`channel_number\`, \`status\`, \`event_id\`), INDEX \`idx_webhook_delivery_pending\` (\`status\`, \`app_key\`, \`channel_number\`), INDEX \`idx_webhook_delivery_app\` (\`app_key\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`webhook_delivery\``);
    await queryRunner.query(`DROP TABLE \`webhook_subscription\``);
    await queryRunner.query(`DROP TABLE \`partner_event\``);
    await queryRunner.query(
      `ALTER TABLE \`secret_channel_member\` DROP INDEX \`idx_secret_channel_member_mute\`, DROP INDEX \`idx_secret_channel_member_list\`, DROP COLUMN \`role_rank\`, DROP COLUMN \`mute_until\``,
    );
  }
}
