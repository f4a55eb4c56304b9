import type { Principal, Role } from '../auth';
import { COUNT_STRATEGIES, CountStrategy } from './pagination.constants';
import { PaginatedResource } from './resource-definition';

/**
 * Roles that may have `count=exact`: a full `count(*)` costs 250 ms at 1M rows and over 2 s
 * each at 10 concurrent callers, so anyone else gets `capped` (the same number up to
 * `PAGINATION__COUNT_CAP`, the cap with `total_is_approximate` above it).
 */
export const EXACT_COUNT_ROLES: readonly Role[] = ['admin'];

/** What a caller may ask of a list. */
export interface PageCaller {
  /** Whether `count=exact` runs as asked; when false it runs as `capped`. */
  exactCount: boolean;
}

/** The {@link PageCaller} of a request's principal (undefined: anonymous). */
export function pageCallerOf(principal: Principal | undefined): PageCaller {
  return { exactCount: principal !== undefined && EXACT_COUNT_ROLES.includes(principal.role) };
}

/**
 * The count strategy of a request: the `count` parameter if the resource allows it (else a
 * problem naming the allowed ones), the resource's default without it; `exact` becomes `capped`
 * for a caller who may not count exactly (`metadata.count_strategy` then says `capped`).
 */
export function parseCount(
  text: string | undefined,
  resource: PaginatedResource,
  caller: PageCaller,
  problems: string[],
): CountStrategy {
  const allowed = resource.allowedCounts ?? COUNT_STRATEGIES;
  if (text !== undefined && !allowed.includes(text as CountStrategy)) {
    problems.push(`count must be one of ${allowed.join(', ')}`);
    return 'none';
  }
  const count = (text as CountStrategy | undefined) ?? resource.defaultCount ?? 'exact';
  return count === 'exact' && !caller.exactCount ? 'capped' : count;
}
