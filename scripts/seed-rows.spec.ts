import {
  AGENT_TYPES,
  formatMicros,
  SEED_AGENT_COLUMNS,
  SEED_OWNER_ID,
  SeedAgentGenerator,
} from './seed-rows';

const NOW_MICROS = Date.UTC(2025, 5, 1) * 1000;
const TWO_YEARS_MICROS = 2 * 365.25 * 24 * 3600 * 1e6;

function generate(count: number, start = 0): string[][] {
  const generator = new SeedAgentGenerator({ start, nowMicros: NOW_MICROS });
  return Array.from({ length: count }, () => generator.nextLine().slice(0, -1).split('\t'));
}

describe(SeedAgentGenerator.name, () => {
  const rows = generate(20_000);
  const column = (name: (typeof SEED_AGENT_COLUMNS)[number]) =>
    rows.map((row) => row[SEED_AGENT_COLUMNS.indexOf(name)]);

  it('should give every line one value per column and no characters COPY would need escaped', () => {
    const generator = new SeedAgentGenerator({ start: 0, nowMicros: NOW_MICROS });
    const lines = Array.from({ length: 1000 }, () => generator.nextLine());

    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(lines.every((line) => /^[^\\\n\r]*\n$/.test(line))).toBe(true);
    expect(rows.every((row) => row.length === SEED_AGENT_COLUMNS.length)).toBe(true);
  });

  it('should repeat the previous created_at in about one row in five', () => {
    const createdAt = column('created_at');
    const ties = createdAt.filter((value, i) => i > 0 && value === createdAt[i - 1]).length;

    expect(ties / rows.length).toBeGreaterThan(0.18);
    expect(ties / rows.length).toBeLessThan(0.22);
  });

  it('should spread created_at over the last two years with microsecond precision', () => {
    const micros = column('created_at').map((value) => {
      const match = /\.(\d{6})Z$/.exec(value);
      expect(match).not.toBeNull();
      return Date.parse(value) * 1000 + (Number(match![1]) % 1000);
    });

    expect(Math.max(...micros)).toBeLessThanOrEqual(NOW_MICROS);
    expect(Math.min(...micros)).toBeGreaterThanOrEqual(NOW_MICROS - TWO_YEARS_MICROS);
    expect(micros.filter((value) => value % 1000 !== 0).length).toBeGreaterThan(rows.length * 0.9);
  });

  it('should skew statuses 60/30/10 and use every agent type', () => {
    const statuses = column('status');
    const share = (status: string) => statuses.filter((s) => s === status).length / rows.length;

    expect(share('active')).toBeCloseTo(0.6, 1);
    expect(share('inactive')).toBeCloseTo(0.3, 1);
    expect(share('archived')).toBeCloseTo(0.1, 1);
    expect(new Set(column('type'))).toEqual(new Set(AGENT_TYPES));
  });

  it('should give configs of about 100-200 bytes of valid JSON', () => {
    const sizes = column('config').map((config) => {
      expect(() => JSON.parse(config) as unknown).not.toThrow();
      return Buffer.byteLength(config);
    });
    const average = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;

    expect(average).toBeGreaterThanOrEqual(100);
    expect(average).toBeLessThanOrEqual(200);
  });

  it('should name rows by index from start, owned by the seed owner', () => {
    const [first, second] = generate(2, 41);

    expect(first[0]).toBe('seed-agent-000000041');
    expect(second[0]).toBe('seed-agent-000000042');
    expect(first[SEED_AGENT_COLUMNS.indexOf('owner_id')]).toBe(SEED_OWNER_ID);
  });
});

describe(formatMicros.name, () => {
  it('should keep all six fractional digits', () => {
    expect(formatMicros(Date.UTC(2025, 0, 2, 3, 4, 5, 678) * 1000 + 9)).toBe(
      '2025-01-02T03:04:05.678009Z',
    );
  });
});
