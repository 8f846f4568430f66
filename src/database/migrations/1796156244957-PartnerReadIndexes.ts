import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes behind the polled partner lists (docs/performance.md): each list's ORDER BY is the order of
 * an index over its equality filters, so a page is read from the index (deep pages by a deferred join)
 * and never sorted in memory. The re-review list gets a copy of its channel's status (channel_open) so
 * that it, too, pages on one table's index. member_count DESC needs a descending key part (MariaDB 10.8+, MySQL 8).
 */
export class PartnerReadIndexes1796156244957 implements MigrationInterface {
  name = 'PartnerReadIndexes1796156244957';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX \`idx_secret_channel_public_rank\` ON \`secret_channel\` (\`open_type\`, \`status\`, \`member_count\` DESC, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_secret_channel_public_city\` ON \`secret_channel\` (\`open_type\`, \`status\`, \`city_code\`, \`member_count\` DESC, \`id\`)`,
    );
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_public\` ON \`secret_channel\``);
    await queryRunner.query(
      `CREATE INDEX \`idx_secret_channel_member_joined\` ON \`secret_channel_member\` (\`account_id\`, \`active\`, \`channel_id\`)`,
    );
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_member_account\` ON \`secret_channel_member\``);
    await queryRunner.query(`ALTER TABLE \`micro_channel_edit\` ADD \`channel_open\` tinyint NOT NULL DEFAULT 1`);
    await queryRunner.query(
      `UPDATE \`micro_channel_edit\` e JOIN \`micro_channel\` c ON c.\`id\` = e.\`channel_id\` SET e.\`channel_open\` = (c.\`status\` = 1)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_mc_edit_review\` ON \`micro_channel_edit\` (\`status\`, \`channel_open\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_mc_edit_review_city\` ON \`micro_channel_edit\` (\`status\`, \`channel_open\`, \`city_code\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_mc_edit_review_catalog\` ON \`micro_channel_edit\` (\`status\`, \`channel_open\`, \`catalog_id\`, \`id\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_mc_edit_review_city_catalog\` ON \`micro_channel_edit\` (\`status\`, \`channel_open\`, \`city_code\`, \`catalog_id\`, \`id\`)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_mc_edit_review_city_catalog\` ON \`micro_channel_edit\``);
    await queryRunner.query(`DROP INDEX \`idx_mc_edit_review_catalog\` ON \`micro_channel_edit\``);
    await queryRunner.query(`DROP INDEX \`idx_mc_edit_review_city\` ON \`micro_channel_edit\``);
    await queryRunner.query(`DROP INDEX \`idx_mc_edit_review\` ON \`micro_channel_edit\``);
    await queryRunner.query(`ALTER TABLE \`micro_channel_edit\` DROP COLUMN \`channel_open\``);
    await queryRunner.query(
      `CREATE INDEX \`idx_secret_channel_member_account\` ON \`secret_channel_member\` (\`account_id\`, \`active\`)`,
    );
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_member_joined\` ON \`secret_channel_member\``);
    await queryRunner.query(
      `CREATE INDEX \`idx_secret_channel_public\` ON \`secret_channel\` (\`open_type\`, \`status\`, \`member_count\`)`,
    );
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_public_city\` ON \`secret_channel\``);
    await queryRunner.query(`DROP INDEX \`idx_secret_channel_public_rank\` ON \`secret_channel\``);
  }
}
