import { BadRequestException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PageCaller, parseCount } from './count-policy';
import { CursorCodec } from './cursor-codec';
import { parseFieldValue } from './field-values';
import { parseFilters, shown } from './filter.parser';
import { PageRequest, SortClause } from './page-request';
import { PaginationConfig } from './pagination.config';
import { PAGINATION_PARAMS, SORT_ORDERS, SortOrder } from './pagination.constants';
import { PaginatedResource } from './resource-definition';

/** Which paginator the request is for. */
export type PageMode = 'offset' | 'cursor' | 'list';

type RawQuery = Record<string, string | string[] | undefined>;

const INTEGER = /^\d{1,9}$/;

/**
 * Turns a raw query string into a PageRequest using only allow-listed fields, operators and
 * bounds. Every problem is a 400 naming the parameter; nothing here reaches SQL as text.
 * `caller` says what the caller may ask (`count=exact` runs as `capped` unless it may).
 */
export function parsePageRequest(
  raw: RawQuery,
  resource: PaginatedResource,
  config: PaginationConfig,
  codec: CursorCodec,
  mode: PageMode,
  caller: PageCaller = { exactCount: true },
): PageRequest {
  const problems: string[] = [];
  const single = (name: string): string | undefined => {
    const value = raw[name];
    if (Array.isArray(value)) {
      problems.push(`${name} must be given once`);
      return undefined;
    }
    return value;
  };

  const known = new Set<string>([
    ...PAGINATION_PARAMS,
    ...config.ignoredParams,
    ...(resource.extraParams ?? []),
  ]);
  const unknown = Object.keys(raw).filter((name) => !known.has(name) && !name.startsWith('filter'));
  if (unknown.length > 0) {
    const names = unknown.slice(0, 5).map(shown).join(', ');
    problems.push(
      `unknown query parameter(s): ${names}; use page, size, sort_by, sort_order, count, cursor, search or filter[field]`,
    );
  }

  const sizeText = single('size');
  const pageSizeText = single('page_size');
  if (sizeText !== undefined && pageSizeText !== undefined) {
    problems.push('size and page_size name the same parameter; give one');
  }
  const size = parseSize(sizeText ?? pageSizeText, config, problems);
  const pageText = single('page');
  let page = 1;
  if (pageText !== undefined) {
    if (!INTEGER.test(pageText) || Number(pageText) < 1) {
      problems.push('page must be a positive integer');
    } else {
      page = Number(pageText);
    }
    if (mode === 'cursor') {
      problems.push('page cannot be used with cursor pagination; use cursor');
    }
  }
  const offset = (page - 1) * size;
  if (mode === 'offset' && offset > config.maxOffset) {
    const where = resource.cursorPath
      ? ` use ${resource.cursorPath} with a cursor`
      : ' use a cursor';
    problems.push(`page is too deep (offset ${offset} > ${config.maxOffset}):${where}`);
  }

  const sort = parseSort(single('sort_by'), single('sort_order'), resource, problems);
  const filters = parseFilters(raw, resource, config, problems);
  const search = parseSearch(single('search'), resource, config, problems);
  const count = parseCount(single('count'), resource, caller, problems);
  const cursorText = single('cursor');

  if (problems.length > 0) {
    throw new BadRequestException(problems);
  }
  const signature = createHash('sha256')
    .update(JSON.stringify([resource.name, sort, filters, search ?? null]))
    .digest('base64url')
    .slice(0, 22);
  if (cursorText !== undefined && mode === 'offset') {
    throw new BadRequestException([
      `cursor is not accepted here${resource.cursorPath ? `; use ${resource.cursorPath}` : ''}`,
    ]);
  }
  const cursor = cursorText ? codec.decode(cursorText, resource.name, signature) : undefined;
  if (cursor && cursor.keys.length !== sort.length) {
    throw new BadRequestException(['cursor: is malformed']);
  }
  cursor?.keys.forEach((key, index) => {
    try {
      parseFieldValue(resource.fields[sort[index].field], key, 100);
    } catch {
      throw new BadRequestException(['cursor: is malformed']);
    }
  });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) {
      query[key] = value;
    }
  }
  return { resource, page, size, offset, sort, filters, search, count, cursor, signature, query };
}

function parseSize(text: string | undefined, config: PaginationConfig, problems: string[]): number {
  if (text === undefined) {
    return config.defaultSize;
  }
  if (!INTEGER.test(text) || Number(text) < 1) {
    problems.push('size must be a positive integer');
    return config.defaultSize;
  }
  if (Number(text) > config.maxSize) {
    problems.push(`size must not be greater than ${config.maxSize}`);
  }
  return Number(text);
}

function parseSort(
  field: string | undefined,
  order: string | undefined,
  resource: PaginatedResource,
  problems: string[],
): SortClause[] {
  const sortField = field ?? resource.defaultSort.field;
  const spec = resource.fields[sortField];
  const sortable = Object.keys(resource.fields).filter((name) => resource.fields[name].sortable);
  if (!Object.hasOwn(resource.fields, sortField) || !spec.sortable) {
    problems.push(`sort_by must be one of ${sortable.join(', ')} (got ${shown(sortField)})`);
    return [];
  }
  let sortOrder: SortOrder = field === undefined ? resource.defaultSort.order : 'asc';
  if (order !== undefined) {
    if (!SORT_ORDERS.includes(order as SortOrder)) {
      problems.push('sort_order must be one of asc, desc');
    } else {
      sortOrder = order as SortOrder;
    }
  }
  const sort = [{ field: sortField, column: spec.column, order: sortOrder }];
  if (sortField !== resource.primaryKey) {
    const pk = resource.fields[resource.primaryKey];
    sort.push({ field: resource.primaryKey, column: pk.column, order: sortOrder });
  }
  return sort;
}

function parseSearch(
  text: string | undefined,
  resource: PaginatedResource,
  config: PaginationConfig,
  problems: string[],
): string | undefined {
  if (text === undefined || text === '') {
    return undefined;
  }
  if (!Object.values(resource.fields).some((spec) => spec.searchable)) {
    problems.push('search is not supported on this resource');
  } else if (text.length > config.maxValueLength || text.includes('\u0000')) {
    problems.push(`search must be at most ${config.maxValueLength} characters of text`);
  }
  return text;
}
