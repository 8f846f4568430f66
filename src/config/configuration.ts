import { createHash } from 'node:crypto';
import {
  AppRole,
  EnvironmentVariables,
  parseHostPortList,
  TtsDriverName,
  unknownServiceVariables,
  validateEnvironment,
} from './env.validation';

export interface HostPort {
  host: string;
  port: number;
}

export interface DatabaseConfig {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  poolSize: number;
  /** Read replicas for list reads; empty: every read goes to the primary. */
  replicas: HostPort[];
  replicaTimeoutMs: number;
  replicaMaxLagSeconds: number;
}

/**
 * Where Redis is: one server (`standalone`), a master found through Sentinel, or a Redis Cluster.
 * `host`/`port` are used only in standalone mode.
 */
export type RedisTopology =
  | { mode: 'standalone' }
  | { mode: 'sentinel'; sentinels: HostPort[]; name: string; sentinelPassword?: string }
  | { mode: 'cluster'; nodes: HostPort[] };

export interface RedisConfig {
  host: string;
  port: number;
  password?: string;
  db: number;
  keyPrefix: string;
  topology: RedisTopology;
}

function redisTopology(env: EnvironmentVariables): RedisTopology {
  if (env.REDIS_CLUSTER_NODES) {
    return { mode: 'cluster', nodes: parseHostPortList(env.REDIS_CLUSTER_NODES) };
  }
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME) {
    return {
      mode: 'sentinel',
      sentinels: parseHostPortList(env.REDIS_SENTINELS),
      name: env.REDIS_SENTINEL_NAME,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
    };
  }
  return { mode: 'standalone' };
}

export interface SecretsConfig {
  /** 64 hex characters: the key new ciphertexts are written under. */
  currentKey: string;
  oldKeys: string[];
  /** True when SECRET_ENCRYPTION_KEY is unset and the well-known development key stands in (warned at start). */
  developmentKey: boolean;
}

/**
 * Stands in for SECRET_ENCRYPTION_KEY outside production, so a developer machine needs no setting. It is
 * public (this line), so it protects nothing: production refuses to start without a key of its own.
 */
export const DEVELOPMENT_SECRET_KEY = createHash('sha256')
  .update('channel-service development secret key: never use in production')
  .digest('hex');

/**
 * The default REDIS_KEY_PREFIX: `chsvc:` and a short hash of the database the deployment uses (host, port,
 * database name), so two deployments on different databases sharing one Redis never see each other's
 * jobs, caches, counters or invalidations (API.md 10). Host spellings of the loopback are folded together;
 * every instance of one deployment must otherwise name its database server the same way (or set the prefix).
 */
export function defaultRedisKeyPrefix(db: Pick<DatabaseConfig, 'host' | 'port' | 'database'>): string {
  const host = db.host.trim().toLowerCase();
  const canonicalHost = ['localhost', '::1', '[::1]'].includes(host) ? '127.0.0.1' : host;
  const id = createHash('sha256').update(`${canonicalHost}:${db.port}/${db.database}`).digest('hex').slice(0, 10);
  return `chsvc:${id}`;
}

/** The typed configuration every part of the service reads; built once from the validated environment. */
export class AppConfig {
  readonly port: number;
  readonly role: AppRole;
  readonly publicBaseUrl: string;
  readonly adminToken?: string;
  readonly opsRequireAdminToken: boolean;
  readonly logLevel: EnvironmentVariables['LOG_LEVEL'];
  /** Variables with one of the service's prefixes that it does not read (a warning at start names them). */
  readonly unknownVariables: string[];
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly production: boolean;
  readonly secrets: SecretsConfig;
  readonly signature: { windowSeconds: number; rateLimitPerSecond: number };
  readonly tts: {
    driver: TtsDriverName;
    httpUrl?: string;
    appKey?: string;
    appSecret?: string;
    timeoutMs: number;
  };
  readonly weibo: { apiUrl?: string; appKey?: string; appSecret?: string };
  readonly channels: { maxPerUser: number; capacity: number; maxAdmins: number };
  /**
   * Partner-event deliveries (API.md 12): tries and the first retry's delay (doubling after), and how many
   * days events and finished deliveries are kept.
   */
  readonly webhooks: { attempts: number; backoffMs: number; retentionDays: number };
  readonly invite: { intervalSeconds: number };
  readonly outbound: { allowPrivate: boolean; allowedHosts: string[] };
  readonly overload: { maxInFlight: number };
  readonly stuckJobs: { intervalSeconds: number; graceSeconds: number };
  /** Retry overrides of the invitation queues; absent values keep the defaults of src/jobs/queues.ts. */
  readonly inviteJobs: {
    weiboPost: { attempts?: number; backoffMs?: number };
    partnerCallback: { attempts?: number; backoffMs?: number };
  };

  constructor(env: EnvironmentVariables, unknownVariables: string[] = []) {
    this.unknownVariables = unknownVariables;
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
      replicas: env.DB_REPLICA_HOSTS ? parseHostPortList(env.DB_REPLICA_HOSTS) : [],
      replicaTimeoutMs: env.DB_REPLICA_TIMEOUT_MS,
      replicaMaxLagSeconds: env.DB_REPLICA_MAX_LAG_SECONDS,
    };
    this.redis = {
      host: env.REDIS_HOST,
      port: env.REDIS_PORT,
      password: env.REDIS_PASSWORD,
      db: env.REDIS_DB,
      keyPrefix: env.REDIS_KEY_PREFIX ?? defaultRedisKeyPrefix(this.database),
      topology: redisTopology(env),
    };
    this.production = env.NODE_ENV === 'production';
    this.secrets = {
      currentKey: (env.SECRET_ENCRYPTION_KEY ?? DEVELOPMENT_SECRET_KEY).toLowerCase(),
      oldKeys: env.SECRET_ENCRYPTION_KEYS_OLD.split(',')
        .map((k) => k.trim().toLowerCase())
        .filter((k) => k.length > 0),
      developmentKey: env.SECRET_ENCRYPTION_KEY === undefined,
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
      maxAdmins: env.MAX_ADMINS_PER_CHANNEL,
    };
    this.webhooks = {
      attempts: env.WEBHOOK_ATTEMPTS,
      backoffMs: env.WEBHOOK_BACKOFF_MS,
      retentionDays: env.WEBHOOK_RETENTION_DAYS,
    };
    this.invite = { intervalSeconds: env.INVITE_INTERVAL_SECONDS };
    this.overload = { maxInFlight: env.MAX_IN_FLIGHT };
    this.stuckJobs = {
      intervalSeconds: env.STUCK_JOB_SWEEP_INTERVAL_SECONDS,
      graceSeconds: env.STUCK_JOB_GRACE_SECONDS,
    };
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
  const raw = { ...process.env, ...overrides };
  return new AppConfig(validateEnvironment(raw), unknownServiceVariables(raw));
}
