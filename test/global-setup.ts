import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { secretCipherFrom } from '../src/common/crypto/secret-cipher';
import { prepareDatabase } from '../src/database/prepare-database';
import { testConfig } from './utils/test-config';

/** Once per e2e run: a fresh test database built by the committed migrations. */
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
}
