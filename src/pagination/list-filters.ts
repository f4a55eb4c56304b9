import { compareFieldValues, FieldAccessor, typedValue, valueText } from './field-values';
import { FilterClause, PageRequest } from './page-request';
import { FieldSpec } from './resource-definition';

/**
 * Whether an in-memory item passes the request's filters and search: the same semantics as the
 * SQL of `sql-conditions.ts` (NULLs fail every comparison but `ne`/`nin`/`is_null`; `*` is the
 * like wildcard, contains without it).
 */
export function matchesRequest<T>(
  item: T,
  request: PageRequest,
  accessor: FieldAccessor<T>,
): boolean {
  const filtersMatch = request.filters.every((filter) =>
    matchesFilter(request.resource.fields[filter.field], filter, accessor(item, filter.field)),
  );
  if (!filtersMatch || !request.search) {
    return filtersMatch;
  }
  const term = request.search.toLowerCase();
  return Object.entries(request.resource.fields).some(
    ([field, spec]) =>
      spec.searchable &&
      valueText(accessor(item, field) ?? '')
        .toLowerCase()
        .includes(term),
  );
}

function matchesFilter(spec: FieldSpec, filter: FilterClause, raw: unknown): boolean {
  const value = typedValue(spec, raw);
  const values = filter.values.map((v) => typedValue(spec, v));
  const cmp = (other: unknown) => compareFieldValues(spec, value, other);
  const isNull = value === null || value === undefined;
  switch (filter.operator) {
    case 'eq':
      return !isNull && cmp(values[0]) === 0;
    case 'ne':
      return isNull || cmp(values[0]) !== 0;
    case 'gt':
      return !isNull && cmp(values[0]) > 0;
    case 'gte':
      return !isNull && cmp(values[0]) >= 0;
    case 'lt':
      return !isNull && cmp(values[0]) < 0;
    case 'lte':
      return !isNull && cmp(values[0]) <= 0;
    case 'in':
      return !isNull && values.some((v) => cmp(v) === 0);
    case 'nin':
      return isNull || values.every((v) => cmp(v) !== 0);
    case 'between':
      return !isNull && cmp(values[0]) >= 0 && cmp(values[1]) <= 0;
    case 'like':
    case 'ilike':
      return !isNull && like(valueText(value), valueText(values[0]), filter.operator === 'ilike');
    case 'is_null':
      return isNull === values[0];
  }
}

function like(value: string, pattern: string, insensitive: boolean): boolean {
  const body = pattern.includes('*')
    ? pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')
    : `.*${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*`;
  return new RegExp(`^${body}$`, insensitive ? 'is' : 's').test(value);
}
