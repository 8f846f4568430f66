import { AppRole, EnvironmentVariables, TtsDriverName, validateEnvironment } from './env.validation';

export interface DatabaseConfig {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  poolSize: number;
}

export interface RedisConfig {
  host: string;
  port: number;
  password?: string;
  db: number;
  keyPrefix: string;
}

/** The typed configuration every part of the service reads; built once from the validated environment. */
export class AppConfig {
  readonly port: number;
  readonly role: AppRole;
  readonly publicBaseUrl: string;
  readonly adminToken?: string;
  readonly opsRequireAdminToken: boolean;
  readonly logLevel: EnvironmentVariables['LOG_LEVEL'];
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly signature: { windowSeconds: number; rateLimitPerSecond: number };
  readonly tts: {
    driver: TtsDriverName;
    httpUrl?: string;
    appKey?: string;
    appSecret?: string;
    timeoutMs: number;
  };
  readonly weibo: { apiUrl?: string; appKey?: string; appSecret?: string };
  readonly channels: { maxPerUser: number; capacity: number };
  readonly invite: { intervalSeconds: number };
  readonly outbound: { allowPrivate: boolean; allowedHosts: string[] };
  /** Retry overrides of the invitation queues; absent values keep the defaults of src/jobs/queues.ts. */
  readonly inviteJobs: {
    weiboPost: { attempts?: number; backoffMs?: number };
    partnerCallback: { attempts?: number; backoffMs?: number };
  };

  constructor(env: EnvironmentVariables) {
    this.port = env.PORT;
    this.role = env.APP_ROLE;
    this.publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
    this.adminToken = env.ADMIN_TOKEN;
    this.opsRequireAdminToken = env.OPS_REQUIRE_ADMIN_TOKEN;
    this.logLevel = env.LOG_LEVEL;
    this.database = {
      host: env.DB_HOST,
      port: env.DB_PORT,
      username: env.DB_USERNAME,
      password: env.DB_PASSWORD,
      database: env.DB_DATABASE,
      poolSize: env.DB_POOL_SIZE,
    };
    this.redis = {
      host: env.REDIS_HOST,
      port: env.REDIS_PORT,
      password: env.REDIS_PASSWORD,
      db: env.REDIS_DB,
      keyPrefix: env.REDIS_KEY_PREFIX,
    };
    this.signature = {
      windowSeconds: env.SIGN_WINDOW_SECONDS,
      rateLimitPerSecond: env.APP_RATE_LIMIT_PER_SECOND,
    };
    this.tts = {
      driver: env.TTS_DRIVER,
      httpUrl: env.TTS_HTTP_URL,
      appKey: env.TTS_APP_KEY,
      appSecret: env.TTS_APP_SECRET,
      timeoutMs: env.TTS_TIMEOUT_MS,
    };
    this.weibo = {
      apiUrl: env.WEIBO_API_URL,
      appKey: env.WEIBO_APP_KEY,
      appSecret: env.WEIBO_APP_SECRET,
    };
    this.channels = {
      maxPerUser: env.MAX_CHANNELS_PER_USER,
      capacity: env.CHANNEL_CAPACITY,
    };
    this.invite = { intervalSeconds: env.INVITE_INTERVAL_SECONDS };
    this.inviteJobs = {
      weiboPost: { attempts: env.WEIBO_POST_ATTEMPTS, backoffMs: env.WEIBO_POST_BACKOFF_MS },
      partnerCallback: { attempts: env.PARTNER_CALLBACK_ATTEMPTS, backoffMs: env.PARTNER_CALLBACK_BACKOFF_MS },
    };
    this.outbound = {
      allowPrivate: env.OUTBOUND_ALLOW_PRIVATE,
      allowedHosts: env.OUTBOUND_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h.length > 0),
    };
  }

  get servesHttp(): boolean {
    return this.role !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.role !== 'api';
  }
}

/** Reads and validates the process environment. The only reader of process.env in src/. */
export function loadConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return new AppConfig(validateEnvironment({ ...process.env, ...overrides }));
}
