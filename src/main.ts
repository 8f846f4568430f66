import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './config/configuration';
import { ConfigError } from './config/env.validation';
import { secretCipherFrom } from './common/crypto/secret-cipher';
import { prepareDatabase } from './database/prepare-database';
import { JsonLogger } from './common/logging/json-logger';
import { setupApp } from './setup-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  if (config.unknownVariables.length > 0) {
    logger.warn(
      { msg: 'unknown variables with the service prefixes are ignored (a typo?)', variables: config.unknownVariables },
      'Config',
    );
  }
  if (config.secrets.developmentKey) {
    logger.warn(
      'SECRET_ENCRYPTION_KEY is unset: app secrets are encrypted under the public development key. Set a key of your own (openssl rand -hex 32) before real use; NODE_ENV=production refuses to start without one.',
      'Bootstrap',
    );
  }
  await prepareDatabase(config.database, (m) => logger.log(m, 'Database'), secretCipherFrom(config.secrets));
  const module = AppModule.register(config);
  if (!config.servesHttp) {
    const context = await NestFactory.createApplicationContext(module, { logger });
    // As setupApp does: exit after the close, so what was logged during the stop is flushed.
    context.enableShutdownHooks(undefined, { useProcessExit: true });
    // WorkerOpsServer serves /health/live, /health/ready and /metrics on PORT (API.md 13).
    logger.log(
      { msg: 'worker started', role: config.role, port: config.port, redisKeyPrefix: config.redis.keyPrefix },
      'Bootstrap',
    );
    return;
  }
  const app = await NestFactory.create(module, { logger, bodyParser: false });
  setupApp(app, config);
  await app.listen(config.port);
  logger.log(
    {
      msg: 'listening',
      port: config.port,
      role: config.role,
      redisKeyPrefix: config.redis.keyPrefix,
      docs: `${config.publicBaseUrl}/docs`,
    },
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
