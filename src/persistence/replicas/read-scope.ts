import { AsyncLocalStorage } from 'node:async_hooks';
import type { Lsn } from './lsn';

/**
 * What one request asks of the reads it runs. Outside any scope (boot, queue jobs, timers) every
 * statement goes to the primary.
 */
export interface ReadScope {
  /** GET/HEAD: reads may go to a replica that is far enough along. */
  readonly lagTolerant: boolean;
  /** The caller (JWT `sub`), whose own writes the reads must see. */
  readonly principal?: string;
  /** The response may be stored in the response cache (shared or per user). */
  readonly fillsCache: boolean;
  /** A statement other than SELECT ran: the rest of the request reads the primary. */
  wrote: boolean;
  /** The replica this request read first: its next reads stay there while it qualifies. */
  replica?: number;
  /** The WAL position a replica must have replayed (memoised lookup; undefined = unknown). */
  required?: Promise<Lsn | undefined>;
}

const storage = new AsyncLocalStorage<ReadScope>();

/** Runs `fn` with `scope` as the current request's read scope. */
export function runInReadScope<T>(scope: ReadScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The current request's read scope, if any. */
export function currentReadScope(): ReadScope | undefined {
  return storage.getStore();
}
