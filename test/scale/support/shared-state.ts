import { Connection, createConnection } from 'mysql2/promise';
import { resetOverConnection } from '../../utils/reset-state';
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
export function emptyDatabaseAndRedis(): Promise<void> {
  return withConnection(resetOverConnection);
}
