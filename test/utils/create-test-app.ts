import 'reflect-metadata';
import { INestApplication, Type } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { RedisService } from '../../src/common/redis/redis.service';
import { AppConfig } from '../../src/config/configuration';
import { setupApp } from '../../src/setup-app';
import { testLogger } from './captured-logs';
import { emptyTables } from './reset-state';
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
  await t.dataSource.transaction((m) => emptyTables((sql) => m.query(sql)));
  await t.redis.client.flushdb();
}
