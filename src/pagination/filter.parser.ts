import { InvalidValue, parseFieldValue } from './field-values';
import { FilterClause } from './page-request';
import { PaginationConfig } from './pagination.config';
import { FILTER_OPERATORS, FilterOperator } from './pagination.constants';
import { PaginatedResource } from './resource-definition';

type RawQuery = Record<string, string | string[] | undefined>;

const FILTER_KEY = /^filter\[([^\]]*)\]$/;
const SAFE_NAME = /^[A-Za-z0-9_]{1,40}$/;

/** Names user input in an error only when it is a plain short identifier. */
export const shown = (name: string): string => (SAFE_NAME.test(name) ? name : '…');

/**
 * Reads every `filter[field]=operator:value` parameter against the resource's allow-lists,
 * pushing one problem per bad parameter (named) onto `problems`.
 */
export function parseFilters(
  raw: RawQuery,
  resource: PaginatedResource,
  config: PaginationConfig,
  problems: string[],
): FilterClause[] {
  const filters: FilterClause[] = [];
  const keys = Object.keys(raw).filter((key) => key.startsWith('filter'));
  // The bound comes before any per-filter work.
  if (keys.length > config.maxFilters) {
    problems.push(`at most ${config.maxFilters} filters are allowed`);
    return filters;
  }
  for (const key of keys) {
    const match = FILTER_KEY.exec(key);
    if (!match) {
      problems.push(`${shown(key)} is not a valid filter; use filter[field]=operator:value`);
      continue;
    }
    const field = match[1];
    const spec = Object.hasOwn(resource.fields, field) ? resource.fields[field] : undefined;
    const allowed = spec?.filterable ?? [];
    if (!spec || allowed.length === 0) {
      const filterable = Object.keys(resource.fields).filter(
        (name) => resource.fields[name].filterable?.length,
      );
      problems.push(`filter[${shown(field)}] is not filterable; allowed: ${filterable.join(', ')}`);
      continue;
    }
    const expression = raw[key];
    if (Array.isArray(expression)) {
      problems.push(
        `filter[${field}] must be given once; combine values with in:a,b or between:low,high`,
      );
      continue;
    }
    const clause = parseFilter(field, spec.column, expression ?? '', allowed, (text) =>
      parseFieldValue(spec, text, config.maxValueLength),
    );
    if (typeof clause === 'string') {
      problems.push(`filter[${field}] ${clause}`);
    } else if (
      (clause.operator === 'in' || clause.operator === 'nin') &&
      clause.values.length > config.maxListLength
    ) {
      problems.push(`filter[${field}] lists at most ${config.maxListLength} values`);
    } else {
      filters.push(clause);
    }
  }
  return filters;
}

function parseFilter(
  field: string,
  column: string,
  expression: string,
  allowed: readonly FilterOperator[],
  parse: (text: string) => unknown,
): FilterClause | string {
  // The operator is mandatory and ends at the first colon; everything after it is the value,
  // colons included (`eq:12:30`, `eq:https://x`). A bare value is never read as `eq`.
  const colon = expression.indexOf(':');
  const operator = expression.slice(0, Math.max(colon, 0)) as FilterOperator;
  if (colon < 0) {
    return `needs operator:value; operators: ${allowed.join(', ')}`;
  }
  if (!FILTER_OPERATORS.includes(operator)) {
    return `has unknown operator ${shown(operator)}; operators: ${allowed.join(', ')}`;
  }
  if (!allowed.includes(operator)) {
    return `does not allow operator ${operator}; allowed: ${allowed.join(', ')}`;
  }
  const text = expression.slice(colon + 1);
  try {
    if (operator === 'is_null') {
      if (text !== 'true' && text !== 'false') {
        return 'is_null takes true or false';
      }
      return { field, column, operator, values: [text === 'true'] };
    }
    if (operator === 'in' || operator === 'nin' || operator === 'between') {
      const parts = text.split(',');
      if (operator === 'between' && parts.length !== 2) {
        return 'between takes two values: between:low,high';
      }
      if (parts.some((part) => part === '')) {
        return `${operator} takes a comma-separated list of values`;
      }
      return { field, column, operator, values: parts.map(parse) };
    }
    return { field, column, operator, values: [parse(text)] };
  } catch (error) {
    if (error instanceof InvalidValue) {
      return `value ${error.message}`;
    }
    throw error;
  }
}
