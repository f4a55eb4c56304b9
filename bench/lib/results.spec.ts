import { BenchResult, formatTable, mergeResults, ratioOf, toResult } from './results';
import type { Measurement } from './scenario';

const measurement = (overrides: Partial<Measurement> = {}): Measurement => ({
  metric: 'insert rows/s',
  value: 5000,
  unit: 'rows/s',
  baseline: 'single inserts',
  baselineValue: 200,
  better: 'higher',
  ...overrides,
});

const result = (scenario: string, value: number): BenchResult =>
  toResult(scenario, measurement({ value }), '2025-01-01T00:00:00.000Z');

describe(ratioOf.name, () => {
  it('should divide by the baseline when higher is better', () => {
    expect(ratioOf(measurement())).toBe(25);
  });

  it('should divide the baseline by the value when lower is better', () => {
    expect(ratioOf(measurement({ value: 5, baselineValue: 50, better: 'lower' }))).toBe(10);
  });

  it('should be 1 when a count equals its required value, zero included', () => {
    expect(ratioOf(measurement({ value: 0, baselineValue: 0, better: 'lower' }))).toBe(1);
  });
});

describe(toResult.name, () => {
  it('should store the row with a rounded ratio and empty notes by default', () => {
    expect(toResult('s', measurement({ value: 1000, baselineValue: 300 }), 'now')).toEqual({
      scenario: 's',
      metric: 'insert rows/s',
      value: 1000,
      unit: 'rows/s',
      baseline: 'single inserts',
      baselineValue: 300,
      ratio: 3.33,
      notes: '',
      at: 'now',
    });
  });
});

describe(mergeResults.name, () => {
  it('should replace the rows of scenarios that ran and keep the others, sorted', () => {
    const merged = mergeResults([result('b', 1), result('a', 2), result('b', 3)], [result('b', 9)]);

    expect(merged.map((r) => [r.scenario, r.value])).toEqual([
      ['a', 2],
      ['b', 9],
    ]);
  });
});

describe(formatTable.name, () => {
  it('should align a header and one line per result', () => {
    const lines = formatTable([result('batch-insert', 5000)]).split('\n');

    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^scenario\s+metric\s+value\s+baseline\s+ratio$/);
    expect(lines[2]).toContain('5,000 rows/s');
    expect(lines[2]).toMatch(/25\.00x$/);
    expect(lines[2].indexOf('insert rows/s')).toBe(lines[0].indexOf('metric'));
  });
});
