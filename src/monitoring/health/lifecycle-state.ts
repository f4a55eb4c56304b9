import { Injectable } from '@nestjs/common';

/**
 * Whether the app has finished starting: bootstrap done and no module still holding the
 * startup gate (e.g. queue processors binding in the background). Backs `/health/startup`.
 *
 * @publicApi
 */
@Injectable()
export class StartupState {
  private bootstrapped = false;
  private readonly holds = new Set<symbol>();

  /** True once bootstrap completed and every hold was released. */
  get started(): boolean {
    return this.bootstrapped && this.holds.size === 0;
  }

  /** @internal called when the HTTP server is ready (after every bootstrap hook). */
  markBootstrapped(): void {
    this.bootstrapped = true;
  }

  /**
   * Keeps `/health/startup` at 503 until the returned function is called.
   *
   * @example
   * ```ts
   * const release = startup.hold('queue processors');
   * await this.bindProcessors();
   * release();
   * ```
   */
  hold(name: string): () => void {
    const token = Symbol(name);
    this.holds.add(token);
    return () => this.holds.delete(token);
  }
}

/**
 * Whether a graceful shutdown has begun. Readiness reads it so the instance leaves load
 * balancers at once, while liveness ignores it (a draining pod must not be restarted).
 *
 * @publicApi
 */
@Injectable()
export class ShutdownState {
  private phase: 'running' | 'draining' | 'closing' = 'running';

  /** True from the moment a shutdown signal arrived. */
  get shuttingDown(): boolean {
    return this.phase !== 'running';
  }

  /** True once the listener stopped accepting: responses then ask clients to reconnect elsewhere. */
  get closing(): boolean {
    return this.phase === 'closing';
  }

  /** @internal called by GracefulShutdown on the first signal. */
  markShuttingDown(): void {
    if (this.phase === 'running') {
      this.phase = 'draining';
    }
  }

  /** @internal called by GracefulShutdown when the drain time is over. */
  markClosing(): void {
    this.phase = 'closing';
  }
}
