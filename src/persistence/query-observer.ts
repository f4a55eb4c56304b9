import { Injectable } from '@nestjs/common';
import { statementKind } from './sql-text';

/** One SQL statement as seen by the persistence layer. */
export interface ObservedQuery {
  sql: string;
  kind: string;
}

/** One completed SQL statement with its execution time (pool wait excluded). */
export interface CompletedQuery extends ObservedQuery {
  durationMs: number;
  success: boolean;
}

type StartListener = (query: ObservedQuery) => void;
type EndListener = (query: CompletedQuery) => void;
type AcquireListener = (waitMs: number, ok: boolean) => void;

/**
 * Fan-out point for every SQL statement the app runs: the query counter of tests and the
 * metrics of the monitoring module subscribe here instead of patching TypeORM.
 */
@Injectable()
export class QueryObserver {
  private readonly startListeners = new Set<StartListener>();
  private readonly endListeners = new Set<EndListener>();
  private readonly acquireListeners = new Set<AcquireListener>();

  /** Subscribes to statements as they start; returns the unsubscribe function. */
  onQuery(listener: StartListener): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  /** Subscribes to statements as they end, with their execution time. */
  onQueryEnd(listener: EndListener): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Subscribes to pool connection requests with the time each waited for a connection. */
  onAcquire(listener: AcquireListener): () => void {
    this.acquireListeners.add(listener);
    return () => this.acquireListeners.delete(listener);
  }

  /** @internal called by the instrumented pool when a connection request ends. */
  acquired(waitMs: number, ok: boolean): void {
    for (const listener of this.acquireListeners) {
      listener(waitMs, ok);
    }
  }

  /** @internal called by the SQL logger and by raw-driver helpers (COPY). */
  started(sql: string): void {
    if (this.startListeners.size === 0) {
      return;
    }
    const query = { sql, kind: statementKind(sql) };
    for (const listener of this.startListeners) {
      listener(query);
    }
  }

  /** @internal called when a statement ends. */
  ended(sql: string, durationMs: number, success: boolean): void {
    if (this.endListeners.size === 0) {
      return;
    }
    const query = { sql, kind: statementKind(sql), durationMs, success };
    for (const listener of this.endListeners) {
      listener(query);
    }
  }
}
