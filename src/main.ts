import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './config/configuration';
import { ConfigError } from './config/env.validation';
import { prepareDatabase } from './database/prepare-database';
import { JsonLogger } from './common/logging/json-logger';
import { setupApp } from './setup-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  await prepareDatabase(config.database, (m) => logger.log(m, 'Database'));
  const module = AppModule.register(config);
  if (!config.servesHttp) {
    const context = await NestFactory.createApplicationContext(module, { logger });
    context.enableShutdownHooks();
    logger.log({ msg: 'worker started', role: config.role }, 'Bootstrap');
    return;
  }
  const app = await NestFactory.create(module, { logger, bodyParser: false });
  setupApp(app, config);
  await app.listen(config.port);
  logger.log(
    { msg: 'listening', port: config.port, role: config.role, docs: `${config.publicBaseUrl}/docs` },
    'Bootstrap',
  );
}

bootstrap().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    new Logger('Bootstrap').error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  }
  process.exit(1);
});
