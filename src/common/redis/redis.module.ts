import { DynamicModule, Global, Module } from '@nestjs/common';
import { CacheInvalidationService } from '../cache/cache-invalidation.service';
import { RedisConnectionFactory } from './redis-connection.factory';
import { RedisService } from './redis.service';

/** Redis for every module: the connection factory (also Bull's), the command client, cache invalidation. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(factory: RedisConnectionFactory): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: RedisConnectionFactory, useValue: factory }, RedisService, CacheInvalidationService],
      exports: [RedisConnectionFactory, RedisService, CacheInvalidationService],
    };
  }
}
