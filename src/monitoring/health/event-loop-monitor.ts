import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';

const SAMPLE_INTERVAL_MS = 200;

/**
 * Measures event-loop lag by how late a repeating timer fires. Liveness compares the last
 * sample to `MONITORING__EVENT_LOOP_LAG_MS`; no dependency is touched.
 */
@Injectable()
export class EventLoopMonitor implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private expectedAt = 0;
  /** Lag of the last sample, in ms. */
  lagMs = 0;

  onModuleInit(): void {
    this.expectedAt = performance.now() + SAMPLE_INTERVAL_MS;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.lagMs = Math.max(0, now - this.expectedAt);
      this.expectedAt = now + SAMPLE_INTERVAL_MS;
    }, SAMPLE_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
