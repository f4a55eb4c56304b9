import {
  compareFieldValues,
  FieldAccessor,
  readProperty,
  typedValue,
  valueText,
} from './field-values';
import { matchesRequest } from './list-filters';
import { PageRequest } from './page-request';
import { CursorPage, Page } from './page';
import { CursorCodec } from './cursor-codec';

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
    accessor: FieldAccessor<T> = readProperty,
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
    accessor: FieldAccessor<T> = readProperty,
  ): CursorPage<T> {
    const view = this.view(list, request, accessor);
    const keyOf = (item: T) =>
      request.sort.map((clause) => valueText(accessor(item, clause.field)));
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
    const filtered = list.filter((item) => matchesRequest(item, request, accessor));
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
          typedValue(spec, accessor(item, clause.field)),
          typedValue(spec, keys[i]),
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
}
