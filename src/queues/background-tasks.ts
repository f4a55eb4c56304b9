import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { MetricsService } from '../monitoring';
import { queuesConfig } from './queues.config';

/**
 * In-process fire-and-forget work that is short and may be lost on a crash (a cache warm-up, an
 * audit line); anything that must survive a restart is enqueued on a `JobQueue`. A failure is
 * logged and counted (`background_tasks_total{result}`), never an unhandled rejection, and
 * shutdown waits (up to `QUEUES__SHUTDOWN_TIMEOUT_MS` in all) until none is in flight.
 *
 * @example
 * ```ts
 * this.background.run('warm agents cache', () => this.cache.warm());
 * ```
 * @publicApi
 */
@Injectable()
export class BackgroundTasks implements BeforeApplicationShutdown {
  private readonly logger = new Logger(BackgroundTasks.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly results;

  constructor(
    metrics: MetricsService,
    @Inject(queuesConfig.KEY) private readonly config: ConfigType<typeof queuesConfig>,
  ) {
    this.results = metrics.counter({
      name: 'background_tasks_total',
      help: 'In-process background tasks by result',
      labelNames: ['result'],
    });
  }

  /** Tasks running now. */
  get size(): number {
    return this.inFlight.size;
  }

  /** Starts `work` without waiting for it. */
  run(name: string, work: () => Promise<unknown>): void {
    const task = Promise.resolve()
      .then(work)
      .then(
        () => this.results.inc({ result: 'succeeded' }),
        (error: unknown) => {
          this.results.inc({ result: 'failed' });
          this.logger.error(
            `Background task "${name}" failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      )
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /**
   * Waits until no task is in flight, at most `timeoutMs` in all; returns whether all finished.
   * A task started meanwhile (a request finishing during shutdown) is waited for too, within the
   * same deadline.
   */
  async drain(timeoutMs: number = this.config.shutdownTimeoutMs): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    let done = true;
    try {
      while (done && this.inFlight.size > 0) {
        // Tasks never reject (run() catches), and each leaves the set before it settles.
        const finished = Promise.all([...this.inFlight]).then(() => true as const);
        done = await Promise.race([finished, timedOut]);
      }
    } finally {
      clearTimeout(timer);
    }
    if (!done) {
      this.logger.warn(`${this.inFlight.size} background task(s) still running at shutdown`);
    }
    return done;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }
}
