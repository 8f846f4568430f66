import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { secretCipherFrom } from '../src/common/crypto/secret-cipher';
import { prepareDatabase } from '../src/database/prepare-database';
import { ensureBuilt } from './utils/service-process';
import { testConfig } from './utils/test-config';

/**
 * Once per e2e run: a fresh test database built by the committed migrations, and the service built into dist/
 * when src/ is newer (the suites that start the built service would otherwise build it inside a test's timeout).
 */
export default async function globalSetup(): Promise<void> {
  const { database, secrets } = testConfig();
  const server = await createConnection({
    host: database.host,
    port: database.port,
    user: database.username,
    password: database.password,
  });
  await server.query(`DROP DATABASE IF EXISTS \`${database.database}\``);
  await server.end();
  await prepareDatabase(database, undefined, secretCipherFrom(secrets));
  ensureBuilt();
}
