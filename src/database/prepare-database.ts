import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { DatabaseConfig } from '../config/configuration';
import { buildTypeOrmOptions } from './typeorm-options';

const MIGRATION_LOCK = 'channel_service_migrations';

/**
 * Creates the database if it is missing and runs pending migrations, holding a MySQL named lock so
 * several instances starting at once migrate one after the other. `cipher` encrypts existing app secrets
 * where a migration moves them (API.md 10); a fresh database needs none.
 */
export async function prepareDatabase(
  db: DatabaseConfig,
  log: (message: string) => void = () => undefined,
  cipher?: SecretCipher,
): Promise<string[]> {
  const server = await createConnection({
    host: db.host,
    port: db.port,
    user: db.username,
    password: db.password,
    connectTimeout: 5000,
  });
  try {
    await server.query(
      `CREATE DATABASE IF NOT EXISTS \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await server.end();
  }

  const dataSource = new DataSource({
    ...buildTypeOrmOptions(db, cipher),
    poolSize: 1,
    enableQueryTimeout: false,
  });
  await dataSource.initialize();
  try {
    const [{ got }] = await dataSource.query<Array<{ got: number | string }>>('SELECT GET_LOCK(?, 60) AS got', [
      MIGRATION_LOCK,
    ]);
    if (Number(got) !== 1) {
      throw new Error('could not take the migration lock within 60 s');
    }
    try {
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      for (const migration of ran) {
        log(`migration ran: ${migration.name}`);
      }
      return ran.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK]);
    }
  } finally {
    await dataSource.destroy();
  }
}
