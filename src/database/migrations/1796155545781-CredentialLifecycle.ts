import { MigrationInterface, QueryRunner } from 'typeorm';
import { SecretCipher } from '../../common/crypto/secret-cipher';
import { appSecretContext } from '../../access/app-secret-context';

type MigrationClass = new () => MigrationInterface;

/**
 * Credentials lifecycle (API.md 10): app secrets move from a plaintext column to SecretCipher ciphertexts,
 * with room for the previous secret of a rotation; tokens can be revoked. The cipher comes from the caller
 * (prepareDatabase gets it from AppConfig), so the migration never reads the environment itself. A database
 * without apps needs no key; one with apps refuses to run without it rather than leave plaintext behind.
 */
export function credentialLifecycleMigration(cipher?: SecretCipher): MigrationClass {
  return class CredentialLifecycle1796155545781 implements MigrationInterface {
    name = 'CredentialLifecycle1796155545781';

    public async up(queryRunner: QueryRunner): Promise<void> {
      const rows = (await queryRunner.query('SELECT `app_key`, `secret` FROM `partner_app`')) as Array<{
        app_key: string;
        secret: string;
      }>;
      if (rows.length > 0 && !cipher) {
        throw new Error('CredentialLifecycle: encrypting the existing app secrets needs the secret cipher');
      }
      // Every ciphertext is computed before the first DDL statement: MariaDB commits DDL at once, so
      // nothing may fail between adding the column and dropping the plaintext.
      const encrypted = rows.map((r) => [cipher!.encrypt(r.secret, appSecretContext(r.app_key)), r.app_key]);
      await queryRunner.query(
        'ALTER TABLE `partner_app` ADD `secret_ciphertext` varchar(255) NULL, ADD `previous_secret_ciphertext` varchar(255) NULL, ADD `previous_valid_until` datetime(3) NULL, ADD `secret_rotated_at` datetime(3) NULL',
      );
      for (const [ciphertext, appKey] of encrypted) {
        await queryRunner.query('UPDATE `partner_app` SET `secret_ciphertext` = ? WHERE `app_key` = ?', [
          ciphertext,
          appKey,
        ]);
      }
      await queryRunner.query(
        'ALTER TABLE `partner_app` MODIFY `secret_ciphertext` varchar(255) NOT NULL, DROP COLUMN `secret`',
      );
      await queryRunner.query(
        'ALTER TABLE `access_token` ADD `revoked_at` datetime(3) NULL, ADD INDEX `idx_access_token_account_only` (`account_id`)',
      );
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
      const rows = (await queryRunner.query('SELECT `app_key`, `secret_ciphertext` FROM `partner_app`')) as Array<{
        app_key: string;
        secret_ciphertext: string;
      }>;
      if (rows.length > 0 && !cipher) {
        throw new Error('CredentialLifecycle: decrypting the app secrets needs the secret cipher');
      }
      const plain = rows.map((r) => [cipher!.decrypt(r.secret_ciphertext, appSecretContext(r.app_key)), r.app_key]);
      await queryRunner.query(
        'ALTER TABLE `access_token` DROP INDEX `idx_access_token_account_only`, DROP `revoked_at`',
      );
      await queryRunner.query('ALTER TABLE `partner_app` ADD `secret` char(40) NULL');
      for (const [secret, appKey] of plain) {
        await queryRunner.query('UPDATE `partner_app` SET `secret` = ? WHERE `app_key` = ?', [secret, appKey]);
      }
      await queryRunner.query(
        'ALTER TABLE `partner_app` MODIFY `secret` char(40) NOT NULL, DROP `secret_ciphertext`, DROP `previous_secret_ciphertext`, DROP `previous_valid_until`, DROP `secret_rotated_at`',
      );
    }
  };
}
