import type { CacheEngine } from '../engine/cache-engine';

/**
 * The cache as the HTTP layer reads and writes it: fresh lookups (L1, revalidating copies,
 * Redis), the loader path, and the two counters only HTTP knows about. The engine implements it;
 * nothing else of the engine is reachable from the interceptor or the fast path.
 */
export type ResponseStore = Pick<
  CacheEngine,
  | 'peekFresh'
  | 'findFresh'
  | 'countL1Hit'
  | 'peekRevalidating'
  | 'peekL2Fresh'
  | 'getOrLoad'
  | 'countBypass'
  | 'countNotModified'
>;
