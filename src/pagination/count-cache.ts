/** Where `cached` counts live; the Redis implementation is provided by the pagination module. */
export interface CountCache {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number, ttlSeconds: number): Promise<void>;
  /** Current write generation of a resource; part of every cached-count key. */
  generation(resource: string): Promise<string>;
  /** Drops every cached count of a resource in O(1) by moving to a new generation. */
  invalidate(resource: string): Promise<void>;
}

/** @internal injection token of the count cache. */
export const COUNT_CACHE = 'pagination:count-cache';
