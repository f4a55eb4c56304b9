import { join } from 'node:path';
import type { Scenario } from './scenario';
import { loadScenarios, selectScenarios } from './scenarios';

const scenario = (name: string): Scenario => ({
  name,
  description: name,
  run: () => Promise.resolve([]),
});

describe(selectScenarios.name, () => {
  const all = [scenario('a'), scenario('b'), scenario('c')];

  it('should run every scenario when none is named', () => {
    expect(selectScenarios(all, [])).toBe(all);
  });

  it('should keep the order given on the command line', () => {
    expect(selectScenarios(all, ['c', 'a']).map((s) => s.name)).toEqual(['c', 'a']);
  });

  it('should name an unknown scenario and list the known ones', () => {
    expect(() => selectScenarios(all, ['x'])).toThrow('Unknown scenario "x"; known: a, b, c');
  });
});

describe(loadScenarios.name, () => {
  it('should load the scenarios of bench/scenarios by their exported name', () => {
    const names = loadScenarios(join(__dirname, '..', 'scenarios')).map((s) => s.name);

    expect(names).toContain('batch-insert');
  });
});
