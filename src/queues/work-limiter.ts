import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { performanceConfig } from '../config';
import { CapacityExceededError } from './errors/capacity-exceeded.error';

/**
 * The process-wide bound on heavy work (`PERFORMANCE__MAX_CONCURRENT_AGENTS`): every task
 * handler runs inside a slot, and so can any route or service doing agent-like work. Queued
 * work waits for a slot (`run`); request-time work is refused with 503 instead (`tryRun`).
 *
 * @publicApi
 */
@Injectable()
export class WorkLimiter {
  readonly limit: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(performanceConfig.KEY) config: ConfigType<typeof performanceConfig>) {
    this.limit = config.maxConcurrentAgents;
  }

  /** Slots in use and callers waiting for one. */
  stats(): { limit: number; active: number; waiting: number } {
    return { limit: this.limit, active: this.active, waiting: this.waiting.length };
  }

  /** Runs `work` once a slot is free. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    return this.runHeld(work);
  }

  /**
   * Runs `work` in a free slot, or refuses at once.
   * @throws CapacityExceededError (503 + Retry-After) when every slot is busy.
   */
  tryRun<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      return Promise.reject(new CapacityExceededError(this.limit));
    }
    this.active++;
    return this.runHeld(work);
  }

  private async runHeld<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next(); // the slot passes straight to the next waiter
      } else {
        this.active--;
      }
    }
  }
}
