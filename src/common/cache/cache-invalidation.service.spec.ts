import { testConfig } from '../../../test/utils/test-config';
import { RedisConnectionFactory } from '../redis/redis-connection.factory';
import { RedisService } from '../redis/redis.service';
import { CacheInvalidationService } from './cache-invalidation.service';
import { TtlCache } from './ttl-cache';

/** Two instances of the service, as two processes would hold them, on the real Redis. */
describe(CacheInvalidationService.name, () => {
  const started: { redis: RedisService; bus: CacheInvalidationService }[] = [];

  async function instance(prefix = 'chsvc-invalidation-spec') {
    const config = testConfig({ REDIS_KEY_PREFIX: prefix });
    const factory = new RedisConnectionFactory(config.redis);
    const redis = new RedisService(factory);
    await redis.onModuleInit();
    const bus = new CacheInvalidationService(config, redis, factory);
    await bus.onModuleInit();
    started.push({ redis, bus });
    return bus;
  }

  async function until(check: () => boolean, withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      if (check()) {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return check();
  }

  afterEach(() => {
    for (const { redis, bus } of started.splice(0)) {
      bus.onApplicationShutdown();
      redis.onApplicationShutdown();
    }
  });

  it('should drop a key on the other instance within one second of the write', async () => {
    const [a, b] = [await instance(), await instance()];
    const cacheA = new TtlCache<string>();
    const cacheB = new TtlCache<string>();
    a.register('app', cacheA);
    b.register('app', cacheB);
    cacheA.set('1234567890', 'old', 60_000);
    cacheB.set('1234567890', 'old', 60_000);
    cacheB.set('9999999999', 'other', 60_000);

    await a.invalidate('app', '1234567890');

    expect(cacheA.get('1234567890')).toBeUndefined();
    await expect(until(() => cacheB.get('1234567890') === undefined, 1000)).resolves.toBe(true);
    expect(cacheB.get('9999999999')).toBe('other');
  });

  it('should clear a whole topic when no key is given, and leave other topics alone', async () => {
    const [a, b] = [await instance(), await instance()];
    const apps = new TtlCache<string>();
    const tokens = new TtlCache<string>();
    b.register('app', apps);
    b.register('token', tokens);
    apps.set('x', '1', 60_000);
    tokens.set('y', '2', 60_000);

    await a.invalidate('app');

    await expect(until(() => apps.get('x') === undefined, 1000)).resolves.toBe(true);
    expect(tokens.get('y')).toBe('2');
  });

  it('should not reach a deployment with another key prefix', async () => {
    const a = await instance('chsvc-invalidation-spec-a');
    const b = await instance('chsvc-invalidation-spec-b');
    const cache = new TtlCache<string>();
    b.register('app', cache);
    cache.set('k', 'v', 60_000);
    // An instance of a's own deployment shows when the message has gone round.
    const sameDeployment = await instance('chsvc-invalidation-spec-a');
    const witness = new TtlCache<string>();
    sameDeployment.register('app', witness);
    witness.set('k', 'v', 60_000);

    await a.invalidate('app', 'k');
    await expect(until(() => witness.get('k') === undefined, 5000)).resolves.toBe(true);

    expect(cache.get('k')).toBe('v');
  });

  it('should read through to the source and cache nothing while the subscription is down', async () => {
    const bus = await instance();
    const cache = new TtlCache<string>();
    bus.register('app', cache);
    let loads = 0;
    const load = () => Promise.resolve(`value-${++loads}`);

    await expect(bus.cached(cache, 'k', 60_000, load)).resolves.toBe('value-1');
    await expect(bus.cached(cache, 'k', 60_000, load)).resolves.toBe('value-1');
    started[0].bus.onApplicationShutdown();

    expect(bus.isLive()).toBe(false);
    await expect(bus.cached(cache, 'k', 60_000, load)).resolves.toBe('value-2');
    await expect(bus.cached(cache, 'k', 60_000, load)).resolves.toBe('value-3');
  });

  it('should not store a value loaded before an invalidation that arrived while it was loading', async () => {
    const [a, b] = [await instance(), await instance()];
    const cache = new TtlCache<string>();
    b.register('app', cache);
    // A second cache of the topic shows when b has received the invalidation, however slow Redis is today.
    const witness = new TtlCache<string>();
    b.register('app', witness);
    witness.set('k', 'old', 60_000);
    let release: (value: string) => void = () => undefined;
    const slowLoad = () => new Promise<string>((resolve) => (release = resolve));

    const pending = b.cached(cache, 'k', 60_000, slowLoad);
    await a.invalidate('app', 'k');
    await expect(until(() => witness.get('k') === undefined, 5000)).resolves.toBe(true);
    release('read before the write');

    await expect(pending).resolves.toBe('read before the write');
    expect(cache.get('k')).toBeUndefined();
    await expect(b.cached(cache, 'k', 60_000, () => Promise.resolve('fresh'))).resolves.toBe('fresh');
    expect(cache.get('k')).toBe('fresh');
  });
});
