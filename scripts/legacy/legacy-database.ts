import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, createConnection } from 'mysql2/promise';

export interface MysqlServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Creates (or re-creates, empty) a database with the original's WEMECustom tables; returns a connection to it. */
export async function createLegacyDatabase(server: MysqlServer, database: string): Promise<Connection> {
  if (!/^[A-Za-z0-9_]+$/.test(database)) {
    throw new Error(`not a plain database name: ${database}`);
  }
  const admin = await createConnection({ ...server });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  } finally {
    await admin.end();
  }
  const connection = await createConnection({ ...server, database, multipleStatements: true, charset: 'utf8mb4' });
  await connection.query(readFileSync(join(__dirname, 'wemecustom.sql'), 'utf8'));
  return connection;
}

export async function dropLegacyDatabase(server: MysqlServer, database: string): Promise<void> {
  const admin = await createConnection({ ...server });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await admin.end();
  }
}

/** mysql://user:password@host:port/database */
export function mysqlUrl(server: MysqlServer, database: string): string {
  const auth = server.password
    ? `${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}`
    : encodeURIComponent(server.user);
  return `mysql://${auth}@${server.host}:${server.port}/${database}`;
}
