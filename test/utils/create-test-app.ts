import 'reflect-metadata';
import { INestApplication, Type } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import Redis from 'ioredis';
import type { Connection } from 'mysql2/promise';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { RedisService } from '../../src/common/redis/redis.service';
import { AppConfig } from '../../src/config/configuration';
import { setupApp } from '../../src/setup-app';
import { testLogger } from './captured-logs';
import { testConfig } from './test-config';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  baseUrl: string;
  dataSource: DataSource;
  redis: RedisService;
  close(): Promise<void>;
}

/**
 * Boots the real AppModule (same wiring as main.ts) on an ephemeral loopback port.
 * `customize` may override providers that reach the outside world (remote TTS, Weibo).
 */
export async function createTestApp(
  overrides: Record<string, string> = {},
  customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder,
  extraModules: Array<Type<unknown>> = [],
): Promise<TestApp> {
  const config = testConfig(overrides);
  let builder = Test.createTestingModule({ imports: [AppModule.register(config), ...extraModules] });
  if (customize) {
    builder = customize(builder);
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: testLogger(config.logLevel) });
  setupApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    redis: app.get(RedisService),
    close: () => app.close(),
  };
}

/** Empties every table (but the migrations') and the test Redis db, so each test starts clean. */
export async function resetState(t: TestApp): Promise<void> {
  const tables = await t.dataSource.query<Array<{ name: string }>>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations'",
  );
  await t.dataSource.transaction(async (m) => {
    await m.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const { name } of tables) {
      await m.query(`TRUNCATE TABLE \`${name}\``);
    }
    await m.query('SET FOREIGN_KEY_CHECKS = 1');
  });
  await t.redis.client.flushdb();
}

/** resetState for a test whose service runs in a process of its own: over the test's direct MySQL connection. */
export async function resetOverConnection(direct: Connection): Promise<void> {
  const [tables] = await direct.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations'",
  );
  await direct.query('SET FOREIGN_KEY_CHECKS = 0');
  for (const { name } of tables as Array<{ name: string }>) {
    await direct.query(`TRUNCATE TABLE \`${name}\``);
  }
  await direct.query('SET FOREIGN_KEY_CHECKS = 1');
  const { redis } = testConfig();
  const client = new Redis({ host: redis.host, port: redis.port, db: redis.db, lazyConnect: true });
  await client.connect();
  await client.flushdb();
  client.disconnect();
}
