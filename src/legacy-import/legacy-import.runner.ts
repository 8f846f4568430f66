import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '../access/access-token.service';
import { PartnerAppService } from '../access/partner-app.service';
import { AppModule } from '../app.module';
import { secretCipherFrom } from '../common/crypto/secret-cipher';
import { JsonLogger } from '../common/logging/json-logger';
import { AppConfig } from '../config/configuration';
import { prepareDatabase } from '../database/prepare-database';
import { buildTypeOrmOptions } from '../database/typeorm-options';
import { SpeechSynthesisProducer } from '../jobs/speech-synthesis/speech-synthesis.producer';
import { LegacyImportOptions } from './import-context';
import { ImportReport } from './import-report';
import { runImport } from './legacy-importer';

/**
 * `npm run import-legacy` without the command line: runs the service's migrations, boots the service's own
 * wiring without HTTP and without queue workers (so apps and tokens are created, and voice jobs queued,
 * exactly as the running service would), imports, and closes. `config` must have APP_ROLE=api.
 */
export async function importLegacy(config: AppConfig, options: LegacyImportOptions): Promise<ImportReport> {
  if (config.runsWorkers) {
    throw new Error("the legacy import runs with APP_ROLE=api: the running service's workers take its jobs");
  }
  await prepareDatabase(config.database, undefined, secretCipherFrom(config.secrets));
  const context = await NestFactory.createApplicationContext(AppModule.register(config), {
    // Per-job info lines would bury the progress display; warnings and errors still show.
    logger: new JsonLogger(config.logLevel === 'info' ? 'warn' : config.logLevel),
  });
  // The steps' own connection: without the service's 3 s query timeout (recounting a million memberships
  // takes longer) and with the 5 s lock wait of the import's named lock.
  const target = new DataSource({
    ...buildTypeOrmOptions(config.database),
    poolSize: 2,
    enableQueryTimeout: false,
    maxQueryExecutionTime: 60_000,
  });
  try {
    await target.initialize();
    return await runImport(
      {
        target,
        apps: context.get(PartnerAppService),
        tokens: context.get(AccessTokenService),
        speech: context.get(SpeechSynthesisProducer),
      },
      options,
    );
  } finally {
    if (target.isInitialized) {
      await target.destroy();
    }
    await context.close();
  }
}
