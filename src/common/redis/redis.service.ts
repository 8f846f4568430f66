import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { RedisFailure } from '../errors/partner-error';
import { RedisConnection, RedisConnectionFactory } from './redis-connection.factory';

const RELEASE_IF_HELD = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The service's own Redis connection (cache, nonces, rate limits, presence), to one server, the
 * Sentinel master or a Cluster (RedisConnectionFactory). Every key gets the configured prefix; commands
 * that touch several keys must keep them in one hash slot (see PresenceService). Commands fail fast when Redis is unreachable, and every failure surfaces as
 * RedisFailure, which the filter answers with ME01021.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: RedisConnection;

  constructor(factory: RedisConnectionFactory) {
    this.client = factory.create('commands');
    this.client.on('error', (err: Error) => this.logger.warn(`redis: ${err.message}`));
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.client.connect();
    } catch (err) {
      // Keep starting: requests answer ME01021 and /health/ready reports Redis down until it is back.
      this.logger.error(`redis unreachable at start: ${(err as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }

  /** Runs Redis commands, turning any failure into RedisFailure. */
  async run<T>(fn: (client: RedisConnection) => Promise<T>): Promise<T> {
    try {
      return await fn(this.client);
    } catch (err) {
      throw new RedisFailure(err);
    }
  }

  /**
   * Deletes `key` only while it still holds `token`: the release of a lock or slot taken with SET NX, which
   * after its expiry may belong to someone else. True when it was deleted.
   */
  async releaseIfHeld(key: string, token: string): Promise<boolean> {
    return (await this.run((r) => r.eval(RELEASE_IF_HELD, 1, key, token))) === 1;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}
