import { compareFieldValues, valueText } from './field-values';
import { FilterClause, PageRequest } from './page-request';
import { CursorPage, Page } from './page';
import { CursorCodec } from './cursor-codec';
import { FieldSpec } from './resource-definition';

/** Reads a field of an item; by default the property of the same name. */
export type FieldAccessor<T> = (item: T, field: string) => unknown;

const defaultAccessor = <T>(item: T, field: string): unknown =>
  (item as Record<string, unknown>)[field];

// Sorted and filtered views per snapshot: a list is sorted once per (sort, filter) and reused
// until the caller hands in a new array.
const views = new WeakMap<readonly unknown[], Map<string, unknown[]>>();

/**
 * Pages an in-memory list with the same params, allow-lists and cursor codec as the database
 * paginators. Sorting happens once per snapshot; a cursor page finds its place by binary search.
 */
export class ListPaginator {
  constructor(private readonly codec: CursorCodec) {}

  /** Offset page of a list (the total is always exact). */
  paginate<T>(
    list: readonly T[],
    request: PageRequest,
    accessor: FieldAccessor<T> = defaultAccessor,
  ): Page<T> {
    const view = this.view(list, request, accessor);
    const items = view.slice(request.offset, request.offset + request.size);
    return {
      items,
      metadata: {
        page: request.page,
        size: request.size,
        total: view.length,
        total_pages: Math.ceil(view.length / request.size),
        has_next: request.offset + items.length < view.length,
        has_prev: request.page > 1,
        count_strategy: 'exact',
        total_is_approximate: false,
      },
    };
  }

  /** Keyset page of a list. */
  paginateByCursor<T>(
    list: readonly T[],
    request: PageRequest,
    accessor: FieldAccessor<T> = defaultAccessor,
  ): CursorPage<T> {
    const view = this.view(list, request, accessor);
    const keyOf = (item: T) =>
      request.sort.map((clause) => this.keyText(accessor(item, clause.field)));
    let start = 0;
    let end = Math.min(view.length, request.size);
    const cursor = request.cursor;
    if (cursor) {
      const boundary = this.lowerBound(view, request, cursor.keys, accessor);
      if (cursor.direction === 'next') {
        start = boundary.after;
        end = Math.min(view.length, start + request.size);
      } else {
        end = boundary.before;
        start = Math.max(0, end - request.size);
      }
    }
    const items = view.slice(start, end);
    const hasNext = end < view.length && items.length > 0;
    const hasPrev = start > 0 && items.length > 0;
    const encode = (item: T | undefined, direction: 'next' | 'prev') =>
      item === undefined
        ? null
        : this.codec.encode(request.resource.name, request.signature, {
            direction,
            keys: keyOf(item),
          });
    return {
      items,
      metadata: {
        size: request.size,
        next_cursor: hasNext ? encode(items.at(-1), 'next') : null,
        prev_cursor: hasPrev ? encode(items[0], 'prev') : null,
        has_next: hasNext,
        has_prev: hasPrev,
      },
    };
  }

  private view<T>(list: readonly T[], request: PageRequest, accessor: FieldAccessor<T>): T[] {
    let byKey = views.get(list);
    if (!byKey) {
      byKey = new Map();
      views.set(list, byKey);
    }
    const cached = byKey.get(request.signature) as T[] | undefined;
    if (cached) {
      return cached;
    }
    const filtered = list.filter((item) => this.matches(item, request, accessor));
    filtered.sort((a, b) => this.compareItems(a, b, request, accessor));
    byKey.set(request.signature, filtered);
    return filtered;
  }

  private compareItems<T>(a: T, b: T, request: PageRequest, accessor: FieldAccessor<T>): number {
    for (const clause of request.sort) {
      const spec = request.resource.fields[clause.field];
      const result = compareFieldValues(spec, accessor(a, clause.field), accessor(b, clause.field));
      if (result !== 0) {
        return clause.order === 'asc' ? result : -result;
      }
    }
    return 0;
  }

  /** Index of the first item after the boundary keys, and of the first item not before them. */
  private lowerBound<T>(
    view: T[],
    request: PageRequest,
    keys: string[],
    accessor: FieldAccessor<T>,
  ): { before: number; after: number } {
    const compareToKeys = (item: T): number => {
      for (let i = 0; i < request.sort.length; i++) {
        const clause = request.sort[i];
        const spec = request.resource.fields[clause.field];
        const result = compareFieldValues(
          spec,
          this.typed(spec, accessor(item, clause.field)),
          this.typed(spec, keys[i]),
        );
        if (result !== 0) {
          return clause.order === 'asc' ? result : -result;
        }
      }
      return 0;
    };
    const search = (strict: boolean) => {
      let low = 0;
      let high = view.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        const c = compareToKeys(view[mid]);
        if (c < 0 || (!strict && c === 0)) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    };
    return { before: search(true), after: search(false) };
  }

  private typed(spec: FieldSpec, value: unknown): unknown {
    if ((spec.type === 'integer' || spec.type === 'number') && typeof value === 'string') {
      return Number(value);
    }
    if (spec.type === 'boolean' && typeof value === 'string') {
      return value === 'true';
    }
    return value;
  }

  private keyText(value: unknown): string {
    return valueText(value);
  }

  private matches<T>(item: T, request: PageRequest, accessor: FieldAccessor<T>): boolean {
    const filtersMatch = request.filters.every((filter) =>
      this.matchesFilter(
        request.resource.fields[filter.field],
        filter,
        accessor(item, filter.field),
      ),
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

  private matchesFilter(spec: FieldSpec, filter: FilterClause, raw: unknown): boolean {
    const value = this.typed(spec, raw);
    const values = filter.values.map((v) => this.typed(spec, v));
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
        return (
          !isNull && this.like(valueText(value), valueText(values[0]), filter.operator === 'ilike')
        );
      case 'is_null':
        return isNull === values[0];
    }
  }

  private like(value: string, pattern: string, insensitive: boolean): boolean {
    const body = pattern.includes('*')
      ? pattern
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')
      : `.*${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*`;
    return new RegExp(`^${body}$`, insensitive ? 'is' : 's').test(value);
  }
}
