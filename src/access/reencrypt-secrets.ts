import { DataSource } from 'typeorm';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { appSecretContext } from './app-secret-context';

export interface ReencryptionReport {
  apps: number;
  /** Ciphertexts rewritten under the current key (current and previous secrets counted apart). */
  rewritten: number;
  alreadyCurrent: number;
  /** appKeys whose ciphertext no configured key opens: they need the missing old key. */
  failed: Array<{ appKey: string; reason: string }>;
}

const COLUMNS = ['secret_ciphertext', 'previous_secret_ciphertext'] as const;

/**
 * Rewrites every app secret under the current SECRET_ENCRYPTION_KEY (`npm run reencrypt-secrets`). Safe
 * while instances run: the plaintext does not change, so no cache needs dropping, and each row is updated
 * only if its ciphertext is still the one read (a rotation in between wins and is already current).
 */
export async function reencryptAppSecrets(dataSource: DataSource, cipher: SecretCipher): Promise<ReencryptionReport> {
  const rows = await dataSource.query<Array<Record<'app_key' | (typeof COLUMNS)[number], string | null>>>(
    'SELECT app_key, secret_ciphertext, previous_secret_ciphertext FROM partner_app ORDER BY app_key',
  );
  const report: ReencryptionReport = { apps: rows.length, rewritten: 0, alreadyCurrent: 0, failed: [] };
  for (const row of rows) {
    const appKey = row.app_key!;
    for (const column of COLUMNS) {
      const ciphertext = row[column];
      if (ciphertext === null) {
        continue;
      }
      if (!cipher.needsReencryption(ciphertext)) {
        report.alreadyCurrent++;
        continue;
      }
      let rewritten: string;
      try {
        rewritten = cipher.encrypt(cipher.decrypt(ciphertext, appSecretContext(appKey)), appSecretContext(appKey));
      } catch (err) {
        report.failed.push({ appKey, reason: (err as Error).message });
        continue;
      }
      const result = await dataSource.query<{ affectedRows: number }>(
        `UPDATE partner_app SET ${column} = ? WHERE app_key = ? AND ${column} = ?`,
        [rewritten, appKey, ciphertext],
      );
      if (result.affectedRows === 1) {
        report.rewritten++;
      } else {
        report.alreadyCurrent++;
      }
    }
  }
  return report;
}
