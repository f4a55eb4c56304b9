import { EventEmitter } from 'node:events';
import * as pg from 'pg';
import { isUnavailableError, QUERY_READ_TIMEOUT } from './errors/classify-database-error';
import { DatabaseUnavailableError } from './errors/database-unavailable.error';
import { PoolExhaustedError } from './errors/pool-exhausted.error';

/** Receives the time each connection request waited for the pool. */
export type AcquireListener = (waitMs: number, ok: boolean) => void;

type ConnectCallback = (err: Error | undefined, client?: pg.PoolClient, done?: () => void) => void;

const POOL_TIMEOUT_MESSAGE = 'timeout exceeded when trying to connect';

function translate(error: Error, waitedMs: number): Error {
  if (error.message === POOL_TIMEOUT_MESSAGE) {
    // pg uses one message for "no free slot" and "connect timed out"; both mean "try later".
    return new PoolExhaustedError(Math.round(waitedMs));
  }
  if (isUnavailableError(error)) {
    return new DatabaseUnavailableError((error as { code?: string }).code);
  }
  return error;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
// eslint-disable-next-line @typescript-eslint/unbound-method -- always applied to a client
const query = pg.Client.prototype.query as unknown as QueryFn;

/**
 * After `query_timeout` pg answers the caller but keeps the query active on the connection, so
 * the next query on it (the pool hands the client out again) would queue behind a server that
 * does not answer. Destroying the socket makes the pool drop the client instead.
 */
function boundedQuery(this: pg.Client, ...args: unknown[]): unknown {
  const dropOnTimeout = (error: unknown): void => {
    if ((error as { message?: unknown } | undefined)?.message === QUERY_READ_TIMEOUT) {
      (
        this as unknown as { connection: { stream: { destroy(): void } } }
      ).connection.stream.destroy();
    }
  };
  const callback = args[args.length - 1];
  if (typeof callback === 'function') {
    args[args.length - 1] = (error: unknown, ...rest: unknown[]): unknown => {
      dropOnTimeout(error);
      return (callback as (...a: unknown[]) => unknown)(error, ...rest);
    };
  }
  const result = query.apply(this, args);
  if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
    (result as Promise<unknown>).catch(dropOnTimeout);
  } else if (result instanceof EventEmitter) {
    // A submittable (COPY stream): pg reports the timeout through its 'error' event.
    result.once('error', dropOnTimeout);
  }
  return result;
}

/**
 * A pg client with a bounded query (above) that never crashes the process with an unheard
 * 'error': a server error can arrive in the same socket read as the end of the handshake, after
 * the pool removed its listener and before the caller (TypeORM) adds its own. The client is then
 * not queryable: its next query fails (503) and the pool drops it on release.
 */
class BoundedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}
(BoundedClient.prototype as unknown as { query: QueryFn }).query = boundedQuery;

/**
 * The pg module with a Pool that times every connection request and turns pool exhaustion and
 * unreachable servers into typed errors, so the HTTP layer answers 503 instead of 500.
 * TypeORM takes it through the `driver` option.
 */
export function instrumentedPg(onAcquire: AcquireListener): typeof pg {
  class InstrumentedPool extends pg.Pool {
    constructor(config?: pg.PoolConfig) {
      super({ ...config, Client: BoundedClient });
    }

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
