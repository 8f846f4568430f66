import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import { RedisConfig } from '../../config/configuration';

/** A connection to wherever Redis is: one server, the master behind Sentinel, or a Redis Cluster. */
export type RedisConnection = Redis | Cluster;

/**
 * What a connection is for, which decides how it behaves while Redis is away:
 * - `commands`: the service's own keys, prefixed; fails fast (no offline queue) so requests answer ME01021;
 * - `subscriber`: the cache-invalidation pub/sub connection; channels are not key-prefixed by ioredis;
 * - `bull-client`, `bull-subscriber`, `bull-bclient`: Bull's three kinds; the last two must retry forever
 *   (Bull refuses them otherwise).
 */
export type RedisConnectionRole = 'commands' | 'subscriber' | 'bull-client' | 'bull-subscriber' | 'bull-bclient';

/** Bull's own names for the connections it asks for. */
type BullClientType = 'client' | 'subscriber' | 'bclient';

const CONNECT_TIMEOUT_MS = 2000;
const COMMAND_TIMEOUT_MS = 2000;
const retryStrategy = (times: number): number => Math.min(times * 200, 2000);
/** A few listeners per queue on Bull's shared connections, with room for many queues. */
const SHARED_CONNECTION_MAX_LISTENERS = 100;

/**
 * Per-connection settings, the same whatever the topology. In cluster mode they go into `redisOptions`
 * (what every node connection gets) except the few that ioredis reads on the Cluster itself.
 */
function roleOptions(role: RedisConnectionRole): RedisOptions {
  switch (role) {
    case 'commands':
    case 'subscriber':
      return {
        connectTimeout: CONNECT_TIMEOUT_MS,
        commandTimeout: COMMAND_TIMEOUT_MS,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        lazyConnect: true,
      };
    case 'bull-client':
      return { connectTimeout: CONNECT_TIMEOUT_MS, enableReadyCheck: false };
    case 'bull-subscriber':
    case 'bull-bclient':
      return { connectTimeout: CONNECT_TIMEOUT_MS, enableReadyCheck: false, maxRetriesPerRequest: null };
  }
}

/**
 * The one place that opens Redis connections (API.md 13: standalone, Sentinel or Cluster, chosen by
 * REDIS_HOST/REDIS_PORT, REDIS_SENTINELS + REDIS_SENTINEL_NAME, or REDIS_CLUSTER_NODES). The service's
 * commands, the cache-invalidation subscriber and every Bull queue connect through it, so a topology
 * change is made here once. It also keeps the Bull connections it opened, because Bull does not close
 * connections it got from `createClient`.
 */
export class RedisConnectionFactory {
  private readonly bullShared = new Map<BullClientType, RedisConnection>();
  private readonly bullOwned = new Set<RedisConnection>();

  constructor(readonly config: RedisConfig) {}

  /** Prefix of Bull's keys: one hash tag, so all keys of a queue (Lua scripts touch several) share a cluster slot. */
  get bullPrefix(): string {
    return `{${this.config.keyPrefix}:bull}`;
  }

  create(role: RedisConnectionRole): RedisConnection {
    const { topology, password, db } = this.config;
    const keyPrefix = role === 'commands' ? `${this.config.keyPrefix}:` : undefined;
    const options = roleOptions(role);
    if (topology.mode === 'cluster') {
      const { enableOfflineQueue, lazyConnect, enableReadyCheck, ...perNode } = options;
      const clusterOptions: ClusterOptions = {
        keyPrefix,
        enableOfflineQueue,
        lazyConnect,
        enableReadyCheck,
        clusterRetryStrategy: retryStrategy,
        redisOptions: { ...perNode, password },
      };
      return new Redis.Cluster(
        topology.nodes.map(({ host, port }) => ({ host, port })),
        clusterOptions,
      );
    }
    const base: RedisOptions = { ...options, keyPrefix, password, db, retryStrategy };
    if (topology.mode === 'sentinel') {
      return new Redis({
        ...base,
        sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
        name: topology.name,
        sentinelPassword: topology.sentinelPassword,
        sentinelRetryStrategy: retryStrategy,
        // A master demoted by a failover answers writes with READONLY until ioredis asks Sentinel again.
        reconnectOnError: (err) => err.message.startsWith('READONLY'),
      });
    }
    return new Redis({ ...base, host: this.config.host, port: this.config.port });
  }

  /**
   * Bull's `createClient`: one shared `client` and one shared `subscriber` for every queue of the process
   * (Bull's documented pattern), and a blocking `bclient` per queue.
   */
  readonly createBullClient = (type: BullClientType): RedisConnection => {
    if (type !== 'bclient') {
      const shared = this.bullShared.get(type);
      if (shared) {
        return shared;
      }
    }
    const connection = this.create(type === 'client' ? 'bull-client' : `bull-${type}`);
    this.bullOwned.add(connection);
    if (type !== 'bclient') {
      // Every queue of the process adds its listeners to the shared connections.
      connection.setMaxListeners(SHARED_CONNECTION_MAX_LISTENERS);
      this.bullShared.set(type, connection);
    }
    return connection;
  };

  /** Closes the Bull connections; call it once the queues are closed. */
  closeBullConnections(): void {
    for (const connection of this.bullOwned) {
      connection.disconnect();
    }
    this.bullOwned.clear();
    this.bullShared.clear();
  }
}
