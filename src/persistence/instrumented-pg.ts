import * as pg from 'pg';
import { DatabaseUnavailableError } from './errors/database-unavailable.error';
import { PoolExhaustedError } from './errors/pool-exhausted.error';

/** Receives the time each connection request waited for the pool. */
export type AcquireListener = (waitMs: number, ok: boolean) => void;

type ConnectCallback = (err: Error | undefined, client?: pg.PoolClient, done?: () => void) => void;

const POOL_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  '57P03',
]);

function translate(error: Error, waitedMs: number): Error {
  if (error.message === POOL_TIMEOUT_MESSAGE) {
    // pg uses one message for "no free slot" and "connect timed out"; both mean "try later".
    return new PoolExhaustedError(Math.round(waitedMs));
  }
  const code = (error as { code?: string }).code;
  if (
    (code !== undefined && UNREACHABLE_CODES.has(code)) ||
    /Connection terminated/.test(error.message)
  ) {
    return new DatabaseUnavailableError(code);
  }
  return error;
}

/**
 * The pg module with a Pool that times every connection request and turns pool exhaustion and
 * unreachable servers into typed errors, so the HTTP layer answers 503 instead of 500.
 * TypeORM takes it through the `driver` option.
 */
export function instrumentedPg(onAcquire: AcquireListener): typeof pg {
  class InstrumentedPool extends pg.Pool {
    override connect(): Promise<pg.PoolClient>;
    override connect(callback: ConnectCallback): void;
    override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
      const started = performance.now();
      if (callback) {
        super.connect((err, client, done) => {
          const waited = performance.now() - started;
          onAcquire(waited, !err);
          callback(err ? translate(err, waited) : undefined, client, done);
        });
        return;
      }
      return super.connect().then(
        (client) => {
          onAcquire(performance.now() - started, true);
          return client;
        },
        (err: Error) => {
          const waited = performance.now() - started;
          onAcquire(waited, false);
          throw translate(err, waited);
        },
      );
    }
  }
  return Object.create(pg, { Pool: { value: InstrumentedPool, enumerable: true } }) as typeof pg;
}
