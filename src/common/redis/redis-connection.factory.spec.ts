import { Cluster } from 'ioredis';
import { testConfig } from '../../../test/utils/test-config';
import { RedisConnectionFactory } from './redis-connection.factory';

describe(RedisConnectionFactory.name, () => {
  it('should hash-tag the Bull prefix so every key of a queue lands in one cluster slot', () => {
    const factory = new RedisConnectionFactory(testConfig({ REDIS_KEY_PREFIX: 'dep-a' }).redis);
    expect(factory.bullPrefix).toBe('{dep-a:bull}');
  });

  it('should share Bull client and subscriber connections and give each queue its own blocking one', () => {
    const factory = new RedisConnectionFactory(testConfig().redis);
    const client = factory.createBullClient('client');
    expect(factory.createBullClient('client')).toBe(client);
    expect(factory.createBullClient('subscriber')).toBe(factory.createBullClient('subscriber'));
    expect(factory.createBullClient('bclient')).not.toBe(factory.createBullClient('bclient'));
    expect(client.options.keyPrefix).toBeFalsy();
    factory.closeBullConnections();
  });

  it('should open Cluster connections from REDIS_CLUSTER_NODES with the key prefix on commands only', () => {
    const factory = new RedisConnectionFactory(
      testConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2', REDIS_DB: '0', REDIS_KEY_PREFIX: 'p' }).redis,
    );
    const commands = factory.create('commands') as Cluster;
    const bclient = factory.create('bull-bclient') as Cluster;
    expect(commands).toBeInstanceOf(Cluster);
    expect(commands.options.keyPrefix).toBe('p:');
    expect(commands.options.enableOfflineQueue).toBe(false);
    expect(bclient.options.keyPrefix).toBeFalsy();
    expect(bclient.options.redisOptions?.maxRetriesPerRequest).toBeNull();
    commands.disconnect();
    bclient.disconnect();
  });
});
