import Redis from 'ioredis';
import { Connection, createConnection } from 'mysql2/promise';
import { testConfig } from '../../utils/test-config';

async function withConnection<T>(work: (c: Connection) => Promise<T>): Promise<T> {
  const { database } = testConfig();
  const c = await createConnection({
    host: database.host,
    port: database.port,
    user: database.username,
    password: database.password,
    database: database.database,
  });
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A query on the test database, as the service processes see it (they run outside this jest process). */
export function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return withConnection(async (c) => (await c.query(query, params))[0] as T[]);
}

/** Empties every table but the migrations' and this run's Redis db, before processes are started on them. */
export async function emptyDatabaseAndRedis(): Promise<void> {
  await withConnection(async (c) => {
    const [tables] = await c.query(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations'",
    );
    await c.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const { name } of tables as Array<{ name: string }>) {
      await c.query(`TRUNCATE TABLE \`${name}\``);
    }
  });
  const { redis } = testConfig();
  const client = new Redis({ host: redis.host, port: redis.port, db: redis.db });
  await client.flushdb();
  client.disconnect();
}
