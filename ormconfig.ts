import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/configuration';
import { buildTypeOrmOptions } from './src/database/typeorm-options';

/** DataSource for the TypeORM CLI (`npm run typeorm -- migration:generate src/database/migrations/Name`). */
export default new DataSource(buildTypeOrmOptions(loadConfig().database));
