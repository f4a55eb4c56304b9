import { Injectable, Logger } from '@nestjs/common';
import { PerformanceSection, PerformanceStatsRegistry } from './performance-stats.registry';

type Body = Record<string, unknown>;

/** Assembles `/performance/stats` and `/health/performance` from the registered sections. */
@Injectable()
export class PerformanceService {
  private readonly logger = new Logger(PerformanceService.name);

  constructor(private readonly registry: PerformanceStatsRegistry) {}

  /** Every section's stats, keyed by section name. */
  async stats(): Promise<Body> {
    const sections = this.registry.list();
    const values = await Promise.all(sections.map((s) => this.safely(s.name, s.stats)));
    return Object.fromEntries(sections.map((section, i) => [section.name, values[i]]));
  }

  /** The headline values, keyed by summary key. */
  async summary(): Promise<Body> {
    const summaries = this.registry
      .list()
      .flatMap((section: PerformanceSection) => (section.summary ? [section.summary] : []));
    const values = await Promise.all(summaries.map((s) => this.safely(s.key, s.value)));
    return Object.fromEntries(summaries.map((summary, i) => [summary.key, values[i]]));
  }

  /** A failing contributor yields `{ error: 'unavailable' }` instead of failing the endpoint. */
  private async safely(name: string, read: () => unknown): Promise<unknown> {
    try {
      return await read();
    } catch (error) {
      this.logger.warn(`Performance section "${name}" failed: ${String(error)}`);
      return { error: 'unavailable' };
    }
  }
}
