import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';

// @nestjs/swagger's metadata keys (its package exports do not expose its constants module).
const API_PARAMETERS = 'swagger/apiParameters';
const API_MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';

type Handler = (...args: unknown[]) => unknown;

const cache = new WeakMap<Handler, ReadonlySet<string>>();

interface RouteArg {
  index: number;
  data?: unknown;
}

/**
 * The query params a route documents: `@ApiQuery` (and so `@Paginated`), `@Query('name')`, and the
 * properties of a `@Query()` DTO. They form the default allow-list of the cache key: a param the
 * route does not declare cannot change its response, so it must not create a new entry.
 */
export function documentedQueryParams(controller: object, handler: Handler): ReadonlySet<string> {
  const known = cache.get(handler);
  if (known) {
    return known;
  }
  const names = new Set<string>();
  const apiParams = (Reflect.getMetadata(API_PARAMETERS, handler) ?? []) as Array<{
    name?: string;
    in?: string;
  }>;
  apiParams.filter((p) => p.in === 'query' && p.name).forEach((p) => names.add(p.name as string));

  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller.constructor, handler.name) ??
    {}) as Record<string, RouteArg>;
  const paramTypes = (Reflect.getMetadata('design:paramtypes', controller, handler.name) ??
    []) as Array<{ prototype: object } | undefined>;
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== Number(RouteParamtypes.QUERY)) {
      continue;
    }
    if (typeof arg.data === 'string') {
      names.add(arg.data);
      continue;
    }
    const dto = paramTypes[arg.index];
    const properties = dto
      ? ((Reflect.getMetadata(API_MODEL_PROPERTIES_ARRAY, dto.prototype) ?? []) as string[])
      : [];
    properties.forEach((property) => names.add(property.replace(/^:/, '')));
  }
  cache.set(handler, names);
  return names;
}
