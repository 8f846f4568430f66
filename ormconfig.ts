import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { secretCipherFrom } from './src/common/crypto/secret-cipher';
import { loadConfig } from './src/config/configuration';
import { buildTypeOrmOptions } from './src/database/typeorm-options';

/** DataSource for the TypeORM CLI (`npm run typeorm -- migration:generate src/database/migrations/Name`). */
const config = loadConfig();
export default new DataSource(buildTypeOrmOptions(config.database, secretCipherFrom(config.secrets)));
