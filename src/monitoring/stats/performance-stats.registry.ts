import { Injectable } from '@nestjs/common';

/**
 * A section of `/performance/stats`, optionally with a headline value for `/health/performance`.
 */
export interface PerformanceSection {
  /** Key in `/performance/stats`: `cache`, `circuit_breakers`, `database`, `queues`, ... */
  name: string;
  /** The section's body (snake_case keys). */
  stats: () => unknown;
  /** Key and value in `/health/performance`, e.g. `cache_hit_rate` -> 93.5. */
  summary?: { key: string; value: () => unknown };
}

/** Sections present before their module exists, so the response shape never changes. */
const PLACEHOLDERS: PerformanceSection[] = [
  {
    name: 'cache',
    stats: () => ({ enabled: false }),
    summary: { key: 'cache_hit_rate', value: () => null },
  },
  {
    name: 'circuit_breakers',
    stats: () => ({ enabled: false }),
    summary: { key: 'circuit_breakers', value: () => ({ enabled: false }) },
  },
  { name: 'queues', stats: () => ({ enabled: false }) },
];

/**
 * Where modules contribute to `/performance/stats` and `/health/performance`. Registering a
 * placeholder's name (`cache`, `circuit_breakers`, `queues`) replaces the placeholder.
 *
 * @example
 * ```ts
 * stats.register({
 *   name: 'cache',
 *   stats: () => cache.stats(),
 *   summary: { key: 'cache_hit_rate', value: () => cache.stats().hit_rate_percent },
 * });
 * ```
 * @publicApi
 */
@Injectable()
export class PerformanceStatsRegistry {
  private readonly sections = new Map<string, PerformanceSection>(
    PLACEHOLDERS.map((section) => [section.name, section]),
  );
  private readonly placeholders = new Set(PLACEHOLDERS.map((section) => section.name));

  /** Adds (or replaces the placeholder of) a section; returns the function that removes it. */
  register(section: PerformanceSection): () => void {
    if (this.sections.has(section.name) && !this.placeholders.has(section.name)) {
      throw new Error(`Performance section "${section.name}" is already registered`);
    }
    this.placeholders.delete(section.name);
    this.sections.set(section.name, section);
    return () => this.sections.delete(section.name);
  }

  /** The current sections, in registration order. */
  list(): PerformanceSection[] {
    return [...this.sections.values()];
  }
}
