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

  /** Prefix of every Redis key and Bull queue of this service, so several deployments can share one Redis. */
  @Matches(/^[A-Za-z0-9_:-]{1,32}$/, { message: 'must be 1-32 of [A-Za-z0-9_:-]' })
  REDIS_KEY_PREFIX = 'chsvc';

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
