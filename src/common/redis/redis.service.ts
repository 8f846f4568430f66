import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/configuration';
import { RedisFailure } from '../errors/partner-error';

/**
 * The service's own Redis connection (cache, nonces, rate limits, presence). Every key gets the
 * configured prefix. Commands fail fast when Redis is unreachable, and every failure surfaces as
 * RedisFailure, which the filter answers with ME01021.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis;

  constructor(config: AppConfig) {
    this.client = new Redis({
      host: config.redis.host,
      port: config.redis.port,
      password: config.redis.password,
      db: config.redis.db,
      keyPrefix: `${config.redis.keyPrefix}:`,
      connectTimeout: 2000,
      commandTimeout: 2000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
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
  async run<T>(fn: (client: Redis) => Promise<T>): Promise<T> {
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
