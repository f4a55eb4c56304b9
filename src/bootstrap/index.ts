export { createApp } from './create-app';
export { describeBootError, exitOnBootFailure } from './boot-failure';
export type { CreateAppOptions } from './create-app';
export { BodyLimit, BODY_LIMIT } from './body-limit.decorator';
export type { BodyLimitValue } from './body-limit.decorator';
export { buildOpenApiDocument } from './openapi';
export { IsJsonObject } from './is-json-object.validator';
export { IsNumberArray } from './is-number-array.validator';
export { findOversizedArrays } from './array-size.precheck';
