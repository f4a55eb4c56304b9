export { createApp, LARGE_BODY } from './create-app';
export type { CreateAppOptions } from './create-app';
export { buildOpenApiDocument } from './openapi';
export { IsJsonObject } from './is-json-object.validator';
