import { MysqlDataSourceOptions } from 'typeorm/driver/mysql/MysqlDataSourceOptions';
import { DatabaseConfig } from '../config/configuration';
import { ENTITIES } from './entities';
import { buildMigrations } from './migrations';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { TypeOrmJsonLogger } from './typeorm-logger';

/**
 * The one TypeORM options builder, shared by the Nest app, the migration CLI (ormconfig.ts) and the tests.
 * `cipher` is needed only where migrations run over existing app secrets (prepareDatabase, the CLI).
 */
export function buildTypeOrmOptions(db: DatabaseConfig, cipher?: SecretCipher): MysqlDataSourceOptions {
  return {
    type: 'mysql',
    host: db.host,
    port: db.port,
    username: db.username,
    password: db.password,
    database: db.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities: ENTITIES,
    migrations: buildMigrations(cipher),
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logger: new TypeOrmJsonLogger(),
    poolSize: db.poolSize,
    // Fail fast when MySQL is unreachable so partner requests get ME01020 well inside 5 s.
    connectTimeout: 2000,
    // A query that hangs (MySQL unreachable mid-connection) fails after 3 s instead of holding the request.
    enableQueryTimeout: true,
    maxQueryExecutionTime: 3000,
    // mysql2 captures a stack trace at every query to lengthen the stacks of its errors (4 % of a list
    // read's CPU in the profile); a failed query still carries its message and code, and is logged with them.
    trace: false,
    extra: {
      waitForConnections: true,
      queueLimit: 200,
      enableKeepAlive: true,
    },
  };
}
