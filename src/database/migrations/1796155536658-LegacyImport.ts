import { MigrationInterface, QueryRunner } from 'typeorm';

export class LegacyImport1796155536658 implements MigrationInterface {
  name = 'LegacyImport1796155536658';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`legacy_import_checkpoint\` (\`step\` varchar(32) NOT NULL, \`cursor_value\` varchar(128) NULL, \`done\` tinyint NOT NULL DEFAULT 0, \`tally\` json NOT NULL, \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`step\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`legacy_import_checkpoint\``);
  }
}
