import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/configuration';
import { RedisConnection, RedisConnectionFactory } from '../redis/redis-connection.factory';
import { RedisService } from '../redis/redis.service';
import { TtlCache } from './ttl-cache';

/** What an in-process cache must offer to be invalidated from any instance. */
export interface Invalidatable {
  delete(key: string): void;
  clear(): void;
}

interface InvalidationMessage {
  topic: string;
  /** Absent: the whole topic. */
  key?: string;
}

/**
 * The one place where in-process caches learn of writes made on any instance (API.md 10, 13): a write
 * publishes `{topic, key}` on a Redis pub/sub channel of this deployment, and every instance drops that
 * entry. Pub/sub loses what is sent while a subscriber is disconnected, so a cache is only trusted while
 * this instance's subscription is live: `isLive()` is false until the subscription is confirmed and after
 * any disconnect, every registered cache is cleared when it comes back, and `cached()` reads through to the
 * source while it is down. A cache therefore never serves an entry older than the last write it missed.
 */
@Injectable()
export class CacheInvalidationService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CacheInvalidationService.name);
  private readonly channel: string;
  private readonly topics = new Map<string, Invalidatable[]>();
  /** Bumped whenever a cache loses entries, so a load that raced an invalidation is not stored. */
  private readonly generations = new WeakMap<Invalidatable, number>();
  private subscriber?: RedisConnection;
  private live = false;

  constructor(
    config: AppConfig,
    private readonly redis: RedisService,
    private readonly connections: RedisConnectionFactory,
  ) {
    this.channel = `${config.redis.keyPrefix}:cache-invalidation`;
  }

  async onModuleInit(): Promise<void> {
    // Its own connection: a subscribed connection can run nothing else. In a Cluster, ioredis subscribes on
    // one node and PUBLISH reaches every node, so the bus works the same on all topologies.
    const subscriber = this.connections.create('subscriber');
    this.subscriber = subscriber;
    subscriber.on('error', (err: Error) => this.logger.warn(`invalidation subscriber: ${err.message}`));
    subscriber.on('close', () => this.setLive(false));
    // ioredis re-subscribes by itself after a reconnect and emits 'ready' when it has.
    subscriber.on('ready', () => void this.confirmSubscription());
    subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    try {
      await subscriber.connect();
      await this.confirmSubscription();
    } catch (err) {
      this.logger.error(`invalidation subscriber unreachable at start: ${(err as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    this.setLive(false);
    this.subscriber?.disconnect();
  }

  /** Registers a cache under a topic; writes published for that topic reach it on every instance. */
  register(topic: string, cache: Invalidatable): void {
    const list = this.topics.get(topic) ?? [];
    list.push(cache);
    this.topics.set(topic, list);
  }

  /** True while this instance is sure to hear every invalidation. */
  isLive(): boolean {
    return this.live;
  }

  /**
   * Drops `key` (or the whole topic) here at once and on every other instance within the pub/sub delay.
   * Call it after the write committed. A failed publish is logged, not thrown: the write already happened.
   */
  async invalidate(topic: string, key?: string): Promise<void> {
    this.apply({ topic, key });
    const message: InvalidationMessage = key === undefined ? { topic } : { topic, key };
    try {
      await this.redis.client.publish(this.channel, JSON.stringify(message));
    } catch (err) {
      this.logger.error(`could not publish invalidation of ${topic}: ${(err as Error).message}`);
    }
  }

  /**
   * Read-through helper: answers from `cache` while the subscription is live, else from `load`, and
   * remembers what `load` found for `ttlMs` (undefined results are not cached).
   */
  async cached<V>(cache: TtlCache<V>, key: string, ttlMs: number, load: () => Promise<V>): Promise<V> {
    if (this.live) {
      const hit = cache.get(key);
      if (hit !== undefined) {
        return hit;
      }
    }
    // A load that read MySQL just before a write committed may return after that write's invalidation
    // arrived; storing it would keep the old value for a whole TTL. Such a load is answered, not stored.
    const generation = this.generations.get(cache) ?? 0;
    const value = await load();
    if (this.live && value !== undefined && (this.generations.get(cache) ?? 0) === generation) {
      cache.set(key, value, ttlMs);
    }
    return value;
  }

  private async confirmSubscription(): Promise<void> {
    try {
      await this.subscriber?.subscribe(this.channel);
      this.setLive(true);
    } catch (err) {
      this.logger.warn(`invalidation subscribe failed: ${(err as Error).message}`);
    }
  }

  private setLive(live: boolean): void {
    if (live !== this.live) {
      // Whatever was cached before a gap may have missed a message: start again from the source.
      this.clearAll();
    }
    this.live = live;
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.channel) {
      return;
    }
    try {
      this.apply(JSON.parse(message) as InvalidationMessage);
    } catch {
      this.logger.warn('ignored a malformed invalidation message');
    }
  }

  private apply({ topic, key }: InvalidationMessage): void {
    for (const cache of this.topics.get(topic) ?? []) {
      this.bump(cache);
      if (key === undefined) {
        cache.clear();
      } else {
        cache.delete(key);
      }
    }
  }

  private bump(cache: Invalidatable): void {
    this.generations.set(cache, (this.generations.get(cache) ?? 0) + 1);
  }

  private clearAll(): void {
    for (const list of this.topics.values()) {
      for (const cache of list) {
        this.bump(cache);
        cache.clear();
      }
    }
  }
}
