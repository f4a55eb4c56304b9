export { PaginationModule } from './pagination.module';
export { Paginator } from './paginator';
export { ListPaginator } from './list-paginator';
export type { FieldAccessor } from './field-values';
export { CursorCodec } from './cursor-codec';
export { COUNT_CACHE } from './count-cache';
export type { CountCache } from './count-cache';
export { PageQuery } from './page-query.decorator';
export { Paginated } from './decorators/paginated.decorator';
export { definePaginatedResource } from './resource-definition';
export { defineListSource } from './list-source';
export type { ListSource, SourceColumnKind } from './list-source';
export type { PaginatedResource, FieldSpec, FieldType } from './resource-definition';
export type { PageRequest, FilterClause, SortClause } from './page-request';
export { OffsetPageMetadata, CursorPageMetadata, mapPage } from './page';
export type { Page, CursorPage } from './page';
export { JsonPage } from './json-page';
export {
  FILTER_OPERATORS,
  RANGE_OPERATORS,
  SORT_ORDERS,
  COUNT_STRATEGIES,
} from './pagination.constants';
export type { FilterOperator, SortOrder, CountStrategy } from './pagination.constants';
export { paginationConfig, PaginationEnv } from './pagination.config';
