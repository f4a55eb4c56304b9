import { countBySlot, primaries, readBySlot, type RedisClient } from '../../redis';
import { Breaker } from './breaker';
import type { OutageSignal } from './guarded-redis';
import { CacheStats } from './cache-stats';
import { GuardedRedis } from './guarded-redis';

/**
 * The connection hit-path lookups go through when one is given (see `createLookupReader`): an
 * MGET of an entry and its tag versions, values as bytes.
 */
export interface LookupReader {
  readonly isReady: boolean;
  mget(keys: string[]): Promise<Array<Buffer | null>>;
}

/** An MGET reply as a lookup: the entry's bytes and the tag versions (0 when unset). */
function toLookup(
  replies: Array<Buffer | null>,
  tagCount: number,
): { raw: Buffer | null; versions: number[] } {
  const versions = new Array<number>(tagCount);
  for (let index = 0; index < tagCount; index++) {
    const version = replies[index + 1];
    versions[index] = version ? Number(version.toString()) : 0;
  }
  return { raw: replies[0] ?? null, versions };
}

/** MGET as bytes; on a cluster one MGET per slot (an entry and its tag versions differ). */
function mgetBytes(client: RedisClient, keys: string[]): Promise<Array<Buffer | null>> {
  return client.isCluster
    ? readBySlot(keys, (slotKeys) => client.mgetBuffer(slotKeys))
    : client.mgetBuffer(keys);
}

/** MGET as text; on a cluster one MGET per slot. */
function mgetTexts(client: RedisClient, keys: string[]): Promise<Array<string | null>> {
  return client.isCluster
    ? readBySlot(keys, (slotKeys) => client.mget(slotKeys))
    : client.mget(keys);
}

const UNLOCK_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The Redis tier: entries, tag versions, the fleet lock, the bus and scans, each call guarded
 * (timeout, breaker, round robin) by {@link GuardedRedis}.
 */
export class RedisL2 extends GuardedRedis {
  constructor(
    clients: RedisClient[],
    timeoutMs: number,
    breaker: Breaker,
    stats: CacheStats,
    private readonly reader?: LookupReader,
    outage?: OutageSignal,
  ) {
    super(clients, timeoutMs, breaker, stats, outage);
  }

  /**
   * One command, the entry and the current versions of its tags: on the lookup reader when there
   * is one, else on the command connections (where ioredis auto-pipelining batches it with the
   * other requests of this loop turn).
   */
  lookup(key: string, tagKeys: string[]): Promise<{ raw: Buffer | null; versions: number[] }> {
    const reader = this.reader;
    if (reader) {
      return this.guarded(reader.isReady ? undefined : 'not connected', async () =>
        toLookup(await reader.mget([key, ...tagKeys]), tagKeys.length),
      );
    }
    return this.guard(async (client) =>
      toLookup(await mgetBytes(client, [key, ...tagKeys]), tagKeys.length),
    );
  }

  tagVersions(tagKeys: string[]): Promise<number[]> {
    if (tagKeys.length === 0) {
      return Promise.resolve([]);
    }
    return this.guard(async (client) =>
      (await mgetTexts(client, tagKeys)).map((v) => Number(v ?? 0)),
    );
  }

  getText(key: string): Promise<string | null> {
    return this.guard((client) => client.get(key));
  }

  getTexts(keys: string[]): Promise<Array<string | null>> {
    return this.guard((client) => mgetTexts(client, keys));
  }

  exists(key: string): Promise<boolean> {
    return this.guard(async (client) => (await client.exists(key)) === 1);
  }

  write(key: string, value: Buffer | string, ttlMs?: number): Promise<void> {
    return this.guard(async (client) => {
      if (ttlMs === undefined) {
        await client.set(key, value);
      } else {
        await client.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
      }
    });
  }

  /** Bumps tag versions (one pipeline, one round trip whatever the number of tagged entries). */
  bumpTags(tagKeys: string[]): Promise<void> {
    return this.guard(async (client) => {
      if (client.isCluster) {
        // A cluster pipeline must stay on one node; auto-pipelining still sends one write per node.
        await Promise.all(tagKeys.map((tagKey) => client.incr(tagKey)));
        return;
      }
      const pipeline = client.pipeline();
      for (const tagKey of tagKeys) {
        pipeline.incr(tagKey);
      }
      await pipeline.exec();
    });
  }

  unlink(keys: string[]): Promise<number> {
    if (keys.length === 0) {
      return Promise.resolve(0);
    }
    return this.guard((client) =>
      client.isCluster
        ? countBySlot(keys, (slotKeys) => client.unlink(...slotKeys))
        : client.unlink(...keys),
    );
  }

  /** PUBLISH; on a cluster SPUBLISH, which goes to the channel's shard instead of every node. */
  publish(channel: string, message: string): Promise<void> {
    return this.guard(async (client) => {
      await (client.isCluster
        ? client.spublish(channel, message)
        : client.publish(channel, message));
    });
  }

  tryLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return this.guard(async (client) => (await client.set(key, token, 'PX', ttlMs, 'NX')) === 'OK');
  }

  unlock(key: string, token: string): Promise<void> {
    return this.guard(async (client) => {
      await client.eval(UNLOCK_SCRIPT, 1, key, token);
    });
  }

  /**
   * Deletes the keys matching a glob with SCAN + UNLINK in batches: never KEYS, never a database-wide flush.
   * On a cluster every primary is scanned (each holds its own slots).
   * Not bounded by the per-call timeout (it may walk many keys); each batch is.
   */
  async deleteMatching(pattern: string): Promise<number> {
    let deleted = 0;
    for (const node of primaries(this.pick())) {
      let cursor = '0';
      do {
        const [nextCursor, keys] = await this.guard(() =>
          node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000),
        );
        cursor = nextCursor;
        deleted += await this.unlink(keys);
      } while (cursor !== '0');
    }
    return deleted;
  }

  /** Counts keys matching a glob (SCAN, every primary of a cluster), stopping after `limit` keys. */
  async countMatching(
    pattern: string,
    limit: number,
  ): Promise<{ count: number; complete: boolean }> {
    const nodes = primaries(this.pick());
    let count = 0;
    for (const [index, node] of nodes.entries()) {
      let cursor = '0';
      do {
        const [nextCursor, keys] = await this.guard(() =>
          node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000),
        );
        cursor = nextCursor;
        count += keys.length;
      } while (cursor !== '0' && count < limit);
      if (count >= limit) {
        return { count, complete: cursor === '0' && index === nodes.length - 1 };
      }
    }
    return { count, complete: true };
  }

  info(): Promise<string> {
    return this.guard((client) => client.info());
  }
}
