import { MigrationInterface, QueryRunner } from 'typeorm';

export class VoiceClip1795314075516 implements MigrationInterface {
  name = 'VoiceClip1795314075516';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`voice_clip\` (\`id\` char(32) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`text_sha256\` char(64) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, \`driver\` varchar(16) NOT NULL, \`text\` varchar(200) NOT NULL, \`bytes\` mediumblob NOT NULL, \`duration_ms\` int UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_voice_clip_text_sha256\` (\`text_sha256\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_voice_clip_text_sha256\` ON \`voice_clip\``);
    await queryRunner.query(`DROP TABLE \`voice_clip\``);
  }
}
