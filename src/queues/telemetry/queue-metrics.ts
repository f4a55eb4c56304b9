import { Injectable } from '@nestjs/common';
import type { Job } from 'bull';
import { MetricsService } from '../../monitoring';
import type { JobQueue } from '../job-queue';
import { QueueRegistry } from '../queue.registry';
import { QueueCounts } from './queue-counts';

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'paused'] as const;
const DURATION_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Queue metrics: `bull_queue_jobs{queue,state}` and `bull_queue_oldest_waiting_age_seconds`
 * (read from Redis at scrape time through {@link QueueCounts}; `/performance/stats` in the next
 * second reuses that read; a Redis outage leaves the last values), plus job durations,
 * waits, completions, failures, dead jobs and stalls counted from this process's worker events.
 */
@Injectable()
export class QueueMetrics {
  constructor(
    private readonly metrics: MetricsService,
    private readonly registry: QueueRegistry,
    private readonly counts: QueueCounts,
  ) {}

  /** Registers the scrape-time gauges and listens to every registered queue. */
  attach(): void {
    this.metrics.gauge({
      name: 'bull_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      collect: async () => this.collectCounts(),
    });
    const oldest = this.metrics.gauge({
      name: 'bull_queue_oldest_waiting_age_seconds',
      help: 'Age of the job that has waited longest (0 when none waits)',
      labelNames: ['queue'],
      collect: async () => {
        for (const { queue } of this.registry.list()) {
          const age = await queue.oldestWaitingAgeMs().catch(() => undefined);
          if (age !== undefined) {
            oldest.set({ queue: queue.name }, (age ?? 0) / 1000);
          }
        }
      },
    });
    for (const { queue } of this.registry.list()) {
      this.listen(queue);
    }
  }

  private async collectCounts(): Promise<void> {
    const gauge = this.metrics.gauge({
      name: 'bull_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
    });
    for (const [queue, counts] of await this.counts.read({ fresh: true })) {
      if (!counts) {
        continue;
      }
      for (const state of STATES) {
        gauge.set({ queue, state }, counts[state] ?? 0);
      }
    }
  }

  private listen(queue: JobQueue): void {
    const labels = { queue: queue.name };
    const duration = this.metrics.histogram({
      name: 'bull_job_duration_seconds',
      help: 'Time a job attempt ran on this worker',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: DURATION_BUCKETS,
    });
    const wait = this.metrics.histogram({
      name: 'bull_job_wait_seconds',
      help: 'Time from enqueue (or end of delay) to the start of an attempt',
      labelNames: ['queue', 'name'],
      buckets: DURATION_BUCKETS,
    });
    const completed = this.counter('bull_jobs_completed_total', 'Jobs completed on this worker');
    const failed = this.counter('bull_jobs_failed_total', 'Job attempts failed on this worker');
    const dead = this.counter('bull_jobs_dead_total', 'Jobs that used every attempt (dead list)');
    const stalled = this.counter('bull_jobs_stalled_total', 'Jobs found stalled (worker died)');
    const ranFor = (job: Job) => (Date.now() - (job.processedOn ?? Date.now())) / 1000;

    queue.bull.on('active', (job: Job) => {
      const ready = job.timestamp + (job.opts.delay ?? 0);
      wait.observe(
        { ...labels, name: job.name },
        Math.max(0, (job.processedOn ?? Date.now()) - ready) / 1000,
      );
    });
    queue.bull.on('completed', (job: Job) => {
      completed.inc(labels);
      duration.observe({ ...labels, name: job.name, outcome: 'completed' }, ranFor(job));
    });
    queue.bull.on('failed', (job: Job) => {
      failed.inc(labels);
      duration.observe({ ...labels, name: job.name, outcome: 'failed' }, ranFor(job));
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
        dead.inc(labels);
      }
    });
    queue.bull.on('stalled', () => stalled.inc(labels));
  }

  private counter(name: string, help: string) {
    return this.metrics.counter({ name, help, labelNames: ['queue'] });
  }
}
