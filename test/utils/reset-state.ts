import Redis from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { testConfig } from './test-config';

/**
 * Empties every table but the migrations', through `query` on one connection (FOREIGN_KEY_CHECKS holds for
 * the session that sets it).
 */
export async function emptyTables(query: (sql: string) => Promise<unknown>): Promise<void> {
  const tables = (await query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations'",
  )) as Array<{ name: string }>;
  await query('SET FOREIGN_KEY_CHECKS = 0');
  for (const { name } of tables) {
    await query(`TRUNCATE TABLE \`${name}\``);
  }
  await query('SET FOREIGN_KEY_CHECKS = 1');
}

/** Empties this test run's Redis db, over a connection of its own. */
export async function flushTestRedis(): Promise<void> {
  const { redis } = testConfig();
  const client = new Redis({ host: redis.host, port: redis.port, db: redis.db, lazyConnect: true });
  await client.connect();
  await client.flushdb();
  client.disconnect();
}

/** resetState for a test whose service runs in a process of its own: over the test's direct MySQL connection. */
export async function resetOverConnection(direct: Connection): Promise<void> {
  await emptyTables(async (sql) => (await direct.query(sql))[0]);
  await flushTestRedis();
}
