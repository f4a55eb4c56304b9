import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { RedisL2 } from '../engine/redis-l2';

/**
 * Keyv store behind `@nestjs/cache-manager`'s `CACHE_MANAGER`, on the cache's own Redis
 * connections: every key under `<REDIS__KEY_PREFIX>:app:`, every call bounded by the cache's
 * timeout and breaker (a Redis outage reads as a miss and skips writes instead of hanging), and
 * `clear()` deletes only those keys (SCAN + UNLINK), never a database-wide flush: the queues share this Redis.
 */
export class RedisKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  opts: Record<string, unknown> = {};
  namespace?: string;

  constructor(
    private readonly l2: RedisL2,
    private readonly prefix: string,
  ) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const value = await this.l2.getText(this.keyOf(key)).catch(() => null);
    return (value ?? undefined) as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    if (keys.length === 0) {
      return [];
    }
    const values = await this.l2
      .getTexts(keys.map((key) => this.keyOf(key)))
      .catch(() => keys.map(() => null));
    return values.map((value) => (value ?? undefined) as StoredData<Value | undefined>);
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    try {
      await this.l2.write(this.keyOf(key), String(value), ttl && ttl > 0 ? ttl : undefined);
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<boolean> {
    return (await this.l2.unlink([this.keyOf(key)]).catch(() => 0)) > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return (await this.l2.unlink(keys.map((key) => this.keyOf(key))).catch(() => 0)) > 0;
  }

  async has(key: string): Promise<boolean> {
    return this.l2.exists(this.keyOf(key)).catch(() => false);
  }

  async clear(): Promise<void> {
    await this.l2.deleteMatching(`${this.prefix}*`).catch(() => 0);
  }

  async disconnect(): Promise<void> {
    // The connections belong to the caching module, which closes them at shutdown.
  }

  private keyOf(key: string): string {
    return `${this.prefix}${key}`;
  }
}
