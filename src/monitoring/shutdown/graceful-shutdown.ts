import { INestApplication, Logger, LoggerService } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Server } from 'node:http';
import { ShutdownState } from '../health/lifecycle-state';
import { ManagementServer } from '../management/management-server';
import { monitoringConfig } from '../monitoring.config';
import { ConnectionTracker } from './connection-tracker';
import { stopAcceptingAndDrain } from './http-drain';
import { waitForSettledLoop } from './loop-settle';

/** What GracefulShutdown needs; `GracefulShutdown.forApp(app)` builds it from the app. */
export interface GracefulShutdownOptions {
  /** Stops accepting and waits (at most `timeoutMs`) for open connections to finish. */
  stopAccepting: (timeoutMs: number) => Promise<boolean>;
  /** Closes the app: the HTTP server, then every shutdown hook (queues, Redis, the pool). */
  close: () => Promise<void>;
  /**
   * Waits (at most the given ms) for the event loop to be responsive before the listener
   * closes. @default resolves at once
   */
  settle?: (maxWaitMs: number) => Promise<unknown>;
  state: ShutdownState;
  /** ms to keep serving after the signal (readiness 503) so load balancers drop the instance. */
  drainMs: number;
  /** ms allowed for in-flight requests plus `close()`; past it the process exits 1. */
  timeoutMs: number;
  /** @default process.exit */
  exit?: (code: number) => void;
  logger?: LoggerService;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The shutdown sequence that replaces Nest's `enableShutdownHooks()`. On the first SIGTERM or
 * SIGINT: readiness turns 503 at once (liveness stays 200) and every response carries
 * `Connection: close`; the server keeps serving for the drain time; once the event loop has
 * settled it stops accepting, waits for in-flight requests (closing only connections that are
 * really idle), and closes the app (queues, Redis, the pool), all bounded by the timeout;
 * exit 0 when everything finished in time, 1 otherwise. A second signal exits 1 at once.
 *
 * @example
 * ```ts
 * const shutdown = GracefulShutdown.forApp(app); // before listen: it follows every connection
 * await app.listen({ port });
 * shutdown.listen();
 * ```
 * @publicApi
 */
export class GracefulShutdown {
  private started = false;
  private readonly exit: (code: number) => void;
  private readonly logger: LoggerService;

  constructor(private readonly options: GracefulShutdownOptions) {
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.logger = options.logger ?? new Logger(GracefulShutdown.name);
  }

  /**
   * Builds the sequence from the app's HTTP server (and management listener, if any), monitoring
   * config and shutdown state. Call it before `listen()`: it starts following the server's
   * connections.
   */
  static forApp(app: INestApplication): GracefulShutdown {
    const config = app.get<ConfigType<typeof monitoringConfig>>(monitoringConfig.KEY);
    const server = app.getHttpServer() as Server;
    const connections = new ConnectionTracker(server);
    const management = app.get(ManagementServer);
    return new GracefulShutdown({
      stopAccepting: async (timeoutMs) => {
        const drained = await Promise.all([
          stopAcceptingAndDrain(server, connections, timeoutMs),
          management.drain(timeoutMs),
        ]);
        return drained.every(Boolean);
      },
      close: () => app.close(),
      settle: waitForSettledLoop,
      state: app.get(ShutdownState),
      drainMs: config.shutdownDrainMs,
      timeoutMs: config.shutdownTimeoutMs,
    });
  }

  /** Handles the signals from now on. */
  listen(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): this {
    for (const signal of signals) {
      process.on(signal, () => void this.shutdown(signal));
    }
    return this;
  }

  /** Runs the sequence (a second call forces exit 1). */
  async shutdown(signal: string): Promise<void> {
    if (this.started) {
      this.logger.warn(`${signal} received again: exiting now`);
      this.exit(1);
      return;
    }
    this.started = true;
    const { state, drainMs, timeoutMs } = this.options;
    state.markShuttingDown();
    this.logger.log(`${signal} received: readiness is 503, draining for ${drainMs} ms`);
    await sleep(drainMs);
    const deadline = Date.now() + timeoutMs;
    // Connections the kernel accepted but a busy loop did not yet are reset when the listener
    // closes: let the loop catch up first (a quarter of the timeout at most).
    await this.options.settle?.(timeoutMs / 4);
    this.logger.log('Drain finished: closing the HTTP listener');
    state.markClosing();
    const drained = await this.options.stopAccepting(Math.max(0, deadline - Date.now()));
    if (!drained) {
      this.logger.warn('In-flight requests did not finish in time; closing anyway');
    }
    const closed = await this.closeWithin(Math.max(0, deadline - Date.now()));
    this.exit(drained && closed ? 0 : 1);
  }

  private async closeWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const closed = this.options.close().then(
      () => true,
      (error: unknown) => {
        this.logger.error(`Shutdown failed: ${String(error)}`);
        return false;
      },
    );
    const ok = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    if (ok) {
      this.logger.log('Shutdown complete');
    } else {
      this.logger.error('Shutdown did not finish in time');
    }
    return ok;
  }
}
