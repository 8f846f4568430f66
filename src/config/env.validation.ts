import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { SECRET_KEY_PATTERN } from '../common/crypto/secret-cipher';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }): unknown => {
  if (value === 'true' || value === '1') {
    return true;
  }
  if (value === 'false' || value === '0') {
    return false;
  }
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);
const toOptionalInt = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : toInt({ value }));

/** `host:port` items separated by commas, ports 1-65535 (checked again when parsed). */
const HOST_PORT_LIST = /^\s*[A-Za-z0-9_.-]+:\d{1,5}\s*(,\s*[A-Za-z0-9_.-]+:\d{1,5}\s*)*$/;

/** Prefixes of the service's variables: an unknown name with one of them is most likely a typo (API.md 13). */
export const SERVICE_VARIABLE_PREFIXES = [
  'DB_',
  'REDIS_',
  'TTS_',
  'WEIBO_',
  'APP_',
  'SIGN_',
  'INVITE_',
  'WEBHOOK_',
  'OUTBOUND_',
] as const;

export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];
export const TTS_DRIVERS = ['espeak', 'http'] as const;
export type TtsDriverName = (typeof TTS_DRIVERS)[number];

/**
 * Every environment variable the service reads, with its default (API.md section 9).
 * This class is the only place that knows variable names; the rest of the code reads the typed AppConfig.
 */
export class EnvironmentVariables {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  DB_HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  DB_PORT = 3306;

  @IsString()
  @MinLength(1)
  DB_USERNAME = 'root';

  @IsString()
  DB_PASSWORD = '';

  @Matches(/^[A-Za-z0-9_]{1,64}$/, { message: 'must be 1-64 letters, digits or _' })
  DB_DATABASE = 'daoke_channel';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** Read replicas for list reads (API.md 13), `host:port,...`, same credentials as the primary. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'must be host:port[,host:port...]' })
  DB_REPLICA_HOSTS?: string;

  /** A replica that does not answer within this is skipped and the read goes to the primary. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(4000)
  DB_REPLICA_TIMEOUT_MS = 1000;

  /** A replica further behind the primary than this is skipped. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86400)
  DB_REPLICA_MAX_LAG_SECONDS = 10;

  @IsString()
  @MinLength(1)
  REDIS_HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  REDIS_PORT = 6379;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REDIS_PASSWORD?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(15)
  REDIS_DB = 0;

  /**
   * Prefix of every Redis key, pub/sub channel and Bull queue of this service. Unset: derived from the
   * database (AppConfig), so deployments on different databases sharing one Redis stay apart (API.md 10).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_:-]{1,32}$/, { message: 'must be 1-32 of [A-Za-z0-9_:-]' })
  REDIS_KEY_PREFIX?: string;

  /** Redis Sentinel addresses `host:port,...`; the master is found through them (API.md 13). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'must be host:port[,host:port...]' })
  REDIS_SENTINELS?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 of [A-Za-z0-9_.-]' })
  REDIS_SENTINEL_NAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REDIS_SENTINEL_PASSWORD?: string;

  /** Redis Cluster seed nodes `host:port,...` (API.md 13). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'must be host:port[,host:port...]' })
  REDIS_CLUSTER_NODES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  ADMIN_TOKEN?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_BASE_URL?: string;

  @IsIn(APP_ROLES)
  APP_ROLE: AppRole = 'all';

  @IsIn(TTS_DRIVERS)
  TTS_DRIVER: TtsDriverName = 'espeak';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  TTS_HTTP_URL?: string;

  /** appKey/secret this service signs its own calls to the remote TTS service with. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{1,10}$/)
  TTS_APP_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TTS_APP_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  TTS_TIMEOUT_MS = 10000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  WEIBO_API_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{1,10}$/)
  WEIBO_APP_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  WEIBO_APP_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  INVITE_INTERVAL_SECONDS = 600;

  /** Attempts of a Weibo post of one invitation (default in src/jobs/queues.ts WEIBO_POST_JOB_OPTIONS). */
  @Transform(toOptionalInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  WEIBO_POST_ATTEMPTS?: number;

  /** Base delay of the exponential backoff between Weibo post attempts, in ms. */
  @Transform(toOptionalInt)
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3600000)
  WEIBO_POST_BACKOFF_MS?: number;

  /** Attempts of a partner callback (default in src/jobs/queues.ts PARTNER_CALLBACK_JOB_OPTIONS). */
  @Transform(toOptionalInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  PARTNER_CALLBACK_ATTEMPTS?: number;

  /** Base delay of the exponential backoff between partner callback attempts, in ms. */
  @Transform(toOptionalInt)
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3600000)
  PARTNER_CALLBACK_BACKOFF_MS?: number;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  MAX_CHANNELS_PER_USER = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000000)
  CHANNEL_CAPACITY = 1000;

  /** Members with the admin role one group channel may have (setSecretChannelAdmin answers ME18315 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  MAX_ADMINS_PER_CHANNEL = 10;

  /** Tries of one partner-event delivery before it is marked failed (API.md 12). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  WEBHOOK_ATTEMPTS = 8;

  /** Delay before the first retry of a partner-event delivery, in ms; each further retry doubles it. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3600000)
  WEBHOOK_BACKOFF_MS = 2000;

  /** Partner events and their finished deliveries older than this are deleted by the workers. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_RETENTION_DAYS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  SIGN_WINDOW_SECONDS = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  APP_RATE_LIMIT_PER_SECOND = 200;

  /**
   * Partner requests one process works on at once; beyond it ME01028 at once. 100 ~ what one process
   * clears in well under a second at the benchmarked 350-400 signed requests/s (docs/reliability.md).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  MAX_IN_FLIGHT = 100;

  /** How often a worker looks for work whose queue job was lost (src/jobs/stuck-jobs). */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(86400)
  STUCK_JOB_SWEEP_INTERVAL_SECONDS = 60;

  /** Rows untouched for less than this are never taken for lost (their job may be about to be added). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  STUCK_JOB_GRACE_SECONDS = 120;

  @Transform(toBool)
  @IsBoolean()
  OUTBOUND_ALLOW_PRIVATE = false;

  /** Comma-separated host names outbound calls may reach even when they resolve to private addresses. */
  @IsString()
  OUTBOUND_ALLOWED_HOSTS = '';

  /** When true, /health/ready and /metrics also require the admin bearer token. */
  @Transform(toBool)
  @IsBoolean()
  OPS_REQUIRE_ADMIN_TOKEN = false;

  /** `production` makes SECRET_ENCRYPTION_KEY mandatory; any other value is a non-production run. */
  @IsString()
  NODE_ENV = 'development';

  /** AES-256-GCM key of the app secrets at rest (API.md 10); a development key is used when unset outside production. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(SECRET_KEY_PATTERN, { message: 'must be 64 hex characters' })
  SECRET_ENCRYPTION_KEY?: string;

  /** Comma-separated previous keys: still decrypt, until `npm run reencrypt-secrets` has rewritten every secret. */
  @Matches(/^([0-9A-Fa-f]{64}(,[0-9A-Fa-f]{64})*)?$/, { message: 'must be comma-separated keys of 64 hex characters' })
  SECRET_ENCRYPTION_KEYS_OLD = '';

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';
}

export class ConfigError extends Error {}

/** Validates a raw environment; throws ConfigError naming every bad variable. */
export function validateEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  // Class fields are defined even without a default (ES2022 class fields), so this lists every variable.
  const known = Object.keys(new EnvironmentVariables());
  const defined: Record<string, string> = {};
  for (const key of known) {
    const value = raw[key];
    if (value !== undefined) {
      defined[key] = value;
    }
  }
  const env = plainToInstance(EnvironmentVariables, defined);
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const rules = crossVariableErrors(env);
  if (rules.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${rules.join('\n  ')}`);
  }
  if (env.NODE_ENV === 'production' && !env.SECRET_ENCRYPTION_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  SECRET_ENCRYPTION_KEY: required when NODE_ENV=production (64 hex characters, e.g. `openssl rand -hex 32`)',
    );
  }
  if (env.TTS_DRIVER === 'http') {
    const missing = (['TTS_HTTP_URL', 'TTS_APP_KEY', 'TTS_APP_SECRET'] as const).filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n  ${missing.map((name) => `${name}: required when TTS_DRIVER=http`).join('\n  ')}`,
      );
    }
  }
  return env;
}

/** Rules that involve more than one variable (API.md 13), each message naming the variables. */
function crossVariableErrors(env: EnvironmentVariables): string[] {
  const errors: string[] = [];
  if (env.REDIS_SENTINELS && env.REDIS_CLUSTER_NODES) {
    errors.push('REDIS_SENTINELS, REDIS_CLUSTER_NODES: set one of them, not both');
  }
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
    errors.push('REDIS_SENTINEL_NAME: required with REDIS_SENTINELS');
  }
  if (env.REDIS_CLUSTER_NODES && env.REDIS_DB !== 0) {
    errors.push('REDIS_DB, REDIS_CLUSTER_NODES: a Redis Cluster has only db 0');
  }
  for (const name of ['DB_REPLICA_HOSTS', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const) {
    const value = env[name];
    if (value && parseHostPortList(value).some(({ port }) => port < 1 || port > 65535)) {
      errors.push(`${name}: every port must be 1-65535`);
    }
  }
  return errors;
}

/** `host:port,host:port` as a list (the format is validated above). */
export function parseHostPortList(value: string): Array<{ host: string; port: number }> {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .map((item) => {
      const at = item.lastIndexOf(':');
      return { host: item.slice(0, at), port: Number(item.slice(at + 1)) };
    });
}

/** Variables that carry one of the service's prefixes but that it does not read: named in a warning at start. */
export function unknownServiceVariables(raw: Record<string, string | undefined>): string[] {
  const known = new Set(Object.keys(new EnvironmentVariables()));
  return Object.keys(raw)
    .filter((name) => SERVICE_VARIABLE_PREFIXES.some((prefix) => name.startsWith(prefix)) && !known.has(name))
    .sort();
}
