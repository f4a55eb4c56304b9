/**
 * A checker of the Prometheus text exposition format (0.0.4) for the tests, so `npm test` checks
 * `/metrics` on a machine without `promtool`: the parse errors promtool's `check metrics` reports
 * (syntax, TYPE/HELP placement, a family split in two, duplicate series, histogram buckets) and
 * its lint rules (help text, counter `_total` suffix, snake_case names). When `promtool` is
 * installed (CI installs it) the tests run both.
 */

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A Go `ParseFloat` number, as Prometheus reads it (NaN and Inf in any case, e.g. prom-client's `Nan`). */
const VALUE =
  /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]?(?:inf|infinity)|nan)$/i;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Suffixes of the series a histogram or summary family is made of. */
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

interface Family {
  type?: string;
  help?: string;
  sampled: boolean;
}

interface Sample {
  name: string;
  labels: Array<[string, string]>;
  value: string;
}

/** Parses `name{a="x",b="y"} value [timestamp]`; a string is the syntax problem. */
function parseSample(line: string): Sample | string {
  const nameEnd = line.search(/[{\s]/);
  const name = nameEnd === -1 ? line : line.slice(0, nameEnd);
  if (!METRIC_NAME.test(name)) {
    return `invalid metric name "${name}"`;
  }
  let rest = nameEnd === -1 ? '' : line.slice(nameEnd);
  const labels: Array<[string, string]> = [];
  if (rest.startsWith('{')) {
    let i = 1;
    for (;;) {
      while (rest[i] === ' ') {
        i++;
      }
      if (rest[i] === '}') {
        i++;
        break;
      }
      const eq = rest.indexOf('=', i);
      const label = eq === -1 ? '' : rest.slice(i, eq).trim();
      if (!LABEL_NAME.test(label) || rest[eq + 1] !== '"') {
        return `invalid label in "${line}"`;
      }
      let value = '';
      let j = eq + 2;
      for (; j < rest.length && rest[j] !== '"'; j++) {
        if (rest[j] === '\\') {
          const escaped = rest[++j];
          if (escaped !== '\\' && escaped !== '"' && escaped !== 'n') {
            return `invalid escape in label value of "${line}"`;
          }
          value += escaped === 'n' ? '\n' : escaped;
        } else {
          value += rest[j];
        }
      }
      if (j >= rest.length) {
        return `unterminated label value in "${line}"`;
      }
      labels.push([label, value]);
      i = j + 1;
      if (rest[i] === ',') {
        i++;
      } else if (rest[i] !== '}') {
        return `expected , or } in "${line}"`;
      }
    }
    rest = rest.slice(i);
  }
  const parts = rest.trim().split(/\s+/);
  if (parts.length < 1 || parts.length > 2 || !VALUE.test(parts[0])) {
    return `invalid value in "${line}"`;
  }
  if (parts.length === 2 && !/^-?\d+$/.test(parts[1])) {
    return `invalid timestamp in "${line}"`;
  }
  return { name, labels, value: parts[0] };
}

/** The family a sample name belongs to, given the TYPEs declared so far. */
function familyOf(name: string, families: Map<string, Family>): string {
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const suffix of suffixes) {
      const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
      if (base && families.get(base)?.type === type) {
        return base;
      }
    }
  }
  return name;
}

/** The problems promtool's `check metrics` would report for `text`; empty when it is clean. */
export function checkExposition(text: string): string[] {
  const problems: string[] = [];
  const families = new Map<string, Family>();
  const series = new Set<string>();
  const buckets = new Map<string, Set<string>>();
  let current: string | undefined;
  const family = (name: string): Family => {
    let found = families.get(name);
    if (!found) {
      found = { sampled: false };
      families.set(name, found);
    }
    return found;
  };
  const enter = (name: string, line: string): void => {
    if (name !== current && families.get(name)?.sampled) {
      problems.push(`metric family "${name}" is not contiguous: "${line}"`);
    }
    current = name;
  };

  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
    if (meta) {
      const [, kind, name, rest = ''] = meta;
      if (!METRIC_NAME.test(name)) {
        problems.push(`invalid metric name "${name}" in "${line}"`);
        continue;
      }
      enter(name, line);
      const entry = family(name);
      if (kind === 'HELP') {
        if (entry.help !== undefined) {
          problems.push(`second HELP line for "${name}"`);
        }
        entry.help = rest;
      } else {
        if (entry.type !== undefined) {
          problems.push(`second TYPE line for "${name}"`);
        } else if (entry.sampled) {
          problems.push(`TYPE line for "${name}" after its samples`);
        }
        if (!TYPES.has(rest.trim())) {
          problems.push(`unknown type "${rest.trim()}" for "${name}"`);
        }
        entry.type = rest.trim();
      }
      continue;
    }
    if (line.startsWith('#')) {
      continue;
    }
    const sample = parseSample(line);
    if (typeof sample === 'string') {
      problems.push(sample);
      continue;
    }
    const name = familyOf(sample.name, families);
    enter(name, line);
    family(name).sampled = true;
    const labelNames = sample.labels.map(([label]) => label);
    if (new Set(labelNames).size !== labelNames.length) {
      problems.push(`duplicate label name in "${line}"`);
    }
    const id = `${sample.name}{${[...sample.labels]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
      .join(',')}}`;
    if (series.has(id)) {
      problems.push(`duplicate series ${id}`);
    }
    series.add(id);
    if (families.get(name)?.type === 'histogram' && sample.name === `${name}_bucket`) {
      const le = sample.labels.find(([label]) => label === 'le')?.[1];
      if (le === undefined) {
        problems.push(`histogram bucket without "le": "${line}"`);
      } else {
        const group = `${name}{${sample.labels
          .filter(([label]) => label !== 'le')
          .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
          .join(',')}}`;
        const les = buckets.get(group) ?? new Set<string>();
        les.add(le);
        buckets.set(group, les);
      }
    }
  }

  for (const [group, les] of buckets) {
    if (!les.has('+Inf')) {
      problems.push(`histogram ${group} has no le="+Inf" bucket`);
    }
  }
  for (const [name, entry] of families) {
    if (!entry.sampled && entry.type === undefined) {
      continue;
    }
    if (!entry.help) {
      problems.push(`${name} no help text`);
    }
    if (entry.type === 'counter' && !name.endsWith('_total')) {
      problems.push(`${name} counter metrics should have "_total" suffix`);
    }
    if (/[A-Z]/.test(name)) {
      problems.push(`${name} metric names should be written in 'snake_case' not 'camelCase'`);
    }
  }
  return problems;
}
