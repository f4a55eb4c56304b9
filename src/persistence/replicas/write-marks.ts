import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type Redis from 'ioredis';
import { redisConfig } from '../../config';
import { InjectRedis, RedisOutage } from '../../redis';
import { databaseConfig } from '../persistence.config';
import type { Lsn } from './lsn';

// Raises a mark, never lowers it: writes of one caller may finish out of order across pods.
const RAISE = `local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

/** While Redis is suspected down, one call per this many ms tries it. */
const OUTAGE_PROBE_MS = 1000;

/** Redis failed or timed out: the caller reads the primary. */
class MarksUnavailable extends Error {}

/**
 * The fleet's read-your-writes marks in Redis: the WAL position of each caller's latest write
 * (`<prefix>:rr:lsn:<principal>`) and of the fleet's latest write (`<prefix>:rr:lsn:*`, for reads
 * that fill the response cache). Every call is bounded by `DATABASE__REPLICA_REDIS_TIMEOUT_MS`;
 * a lookup that fails answers undefined (the read goes to the primary). Single-key commands
 * only (Redis Cluster safe). This process's own marks are kept in memory too, so its callers
 * read their writes while Redis is away.
 */
@Injectable()
export class WriteMarks {
  private readonly prefix: string;
  private readonly local = new Map<string, { lsn: Lsn; until: number }>();
  private readonly ttlMs: number;
  private lastTry = 0;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    @Inject(redisConfig.KEY) redisSettings: ConfigType<typeof redisConfig>,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
    // While another Redis user saw it fail, skip it: writes keep local marks, reads the primary.
    @Optional() private readonly outage?: RedisOutage,
  ) {
    this.prefix = `${redisSettings.keyPrefix}:rr:lsn:`;
    // A mark is needed while a usable replica may still be behind it: a replica still short of
    // it after max lag + two checks (one to see the primary pass it, one to see the replica not
    // follow, each up to its timeout late) reads as lagging and is skipped anyway.
    const { maxLagMs, checkIntervalMs, checkTimeoutMs } = config.replicas;
    this.ttlMs = maxLagMs + 2 * (checkIntervalMs + checkTimeoutMs) + 1000;
  }

  /** Records a write at `lsn` by `principal` (if any) and for the fleet. Never throws. */
  async record(principal: string | undefined, lsn: Lsn): Promise<void> {
    const keys = principal === undefined ? ['*'] : [principal, '*'];
    const until = Date.now() + this.ttlMs;
    for (const key of keys) {
      const local = this.local.get(key);
      if (!local || local.lsn < lsn || local.until < Date.now()) {
        this.local.set(key, { lsn: Math.max(lsn, local?.lsn ?? 0), until });
      }
    }
    this.trimLocal();
    await this.bounded(() =>
      Promise.all(
        keys.map((key) =>
          this.redis.eval(RAISE, 1, this.prefix + key, String(lsn), String(this.ttlMs)),
        ),
      ),
    ).catch(() => undefined);
  }

  /**
   * The position a replica must have replayed for this read: the caller's latest write and, for a
   * cache fill, the fleet's latest. 0 when neither needs anything; undefined when Redis failed.
   */
  async required(principal: string | undefined, fillsCache: boolean): Promise<Lsn | undefined> {
    const keys = [...(principal === undefined ? [] : [principal]), ...(fillsCache ? ['*'] : [])];
    if (keys.length === 0) {
      return 0;
    }
    try {
      const values = await this.bounded(() =>
        Promise.all(keys.map((key) => this.redis.get(this.prefix + key))),
      );
      return Math.max(0, ...values.map(Number), ...keys.map((key) => this.localMark(key)));
    } catch {
      return undefined;
    }
  }

  private localMark(key: string): Lsn {
    const local = this.local.get(key);
    return local && local.until > Date.now() ? local.lsn : 0;
  }

  private trimLocal(): void {
    if (this.local.size < 10_000) {
      return;
    }
    const now = Date.now();
    for (const [key, mark] of this.local) {
      // Expired first; past the bound, the oldest (Redis still holds them).
      if (mark.until < now || this.local.size > 20_000) {
        this.local.delete(key);
      }
    }
  }

  private bounded<T>(work: () => Promise<T>): Promise<T> {
    // While an outage is suspected, one call a second goes through as the probe.
    if (this.outage?.suspected && Date.now() - this.lastTry < OUTAGE_PROBE_MS) {
      return Promise.reject(new MarksUnavailable('Redis outage suspected'));
    }
    this.lastTry = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new MarksUnavailable('marks timed out')),
        this.config.replicas.redisTimeoutMs,
      );
    });
    return Promise.race([work(), timeout]).then(
      (value) => {
        clearTimeout(timer);
        this.outage?.recovered();
        return value;
      },
      (error: unknown) => {
        clearTimeout(timer);
        this.outage?.report();
        throw error;
      },
    );
  }
}
