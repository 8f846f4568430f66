import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { RedisFailure } from '../errors/partner-error';
import { RedisConnection, RedisConnectionFactory } from './redis-connection.factory';

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

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}
