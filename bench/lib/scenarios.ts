import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Scenario } from './scenario';

const isScenario = (value: unknown): value is Scenario =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Scenario).name === 'string' &&
  typeof (value as Scenario).run === 'function';

/** Loads every module of `dir` that exports `scenario`, sorted by name. */
export function loadScenarios(dir: string): Scenario[] {
  // require, not import(): under ts-node a CommonJS build cannot import() a .ts file.
  const load = createRequire(__filename);
  return readdirSync(dir)
    .filter((file) => /\.(ts|js)$/.test(file) && !/\.(spec|d)\.ts$/.test(file))
    .map((file) => {
      const exported: unknown = load(join(dir, file)).scenario;
      if (!isScenario(exported)) {
        throw new Error(`${file} must export \`scenario\` ({ name, description, run })`);
      }
      return exported;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The scenarios named on the command line, in that order, or all of them.
 * @throws Error naming an unknown scenario and listing the known ones.
 */
export function selectScenarios(all: Scenario[], names: string[]): Scenario[] {
  if (names.length === 0) {
    return all;
  }
  return names.map((name) => {
    const found = all.find((scenario) => scenario.name === name);
    if (!found) {
      throw new Error(`Unknown scenario "${name}"; known: ${all.map((s) => s.name).join(', ')}`);
    }
    return found;
  });
}
