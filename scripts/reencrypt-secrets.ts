/**
 * Rewrites every app secret under the current SECRET_ENCRYPTION_KEY (API.md 10, docs/credentials.md):
 *   SECRET_ENCRYPTION_KEY=<new> SECRET_ENCRYPTION_KEYS_OLD=<old> npm run reencrypt-secrets
 * Reads the same environment as the service (DB_*, SECRET_*). Exit code 1 when a secret could not be
 * decrypted with any configured key (the report names the apps).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { reencryptAppSecrets } from '../src/access/reencrypt-secrets';
import { secretCipherFrom } from '../src/common/crypto/secret-cipher';
import { loadConfig } from '../src/config/configuration';
import { ConfigError } from '../src/config/env.validation';
import { prepareDatabase } from '../src/database/prepare-database';
import { buildTypeOrmOptions } from '../src/database/typeorm-options';

async function main(): Promise<number> {
  const config = loadConfig();
  const cipher = secretCipherFrom(config.secrets);
  if (config.secrets.developmentKey) {
    process.stderr.write('warning: SECRET_ENCRYPTION_KEY is unset; rewriting under the public development key\n');
  }
  // The secrets must be in their encrypted columns first (the CredentialLifecycle migration).
  await prepareDatabase(config.database, (m) => process.stdout.write(`${m}\n`), cipher);
  const dataSource = new DataSource({ ...buildTypeOrmOptions(config.database, cipher), poolSize: 1 });
  await dataSource.initialize();
  try {
    const started = Date.now();
    const report = await reencryptAppSecrets(dataSource, cipher);
    process.stdout.write(
      `${JSON.stringify({ ...report, keyId: cipher.currentKeyId, ms: Date.now() - started }, null, 2)}\n`,
    );
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
