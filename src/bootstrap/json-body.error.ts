/**
 * A JSON body that cannot be accepted: not JSON, or nested deeper than `HTTP__JSON_MAX_DEPTH`.
 * Thrown by the JSON content-type parser; Fastify answers it with its `statusCode` (400).
 */
export class JsonBodyError extends Error {
  readonly kind = 'json-body' as const;
  readonly statusCode = 400;
  readonly code = 'FST_ERR_CTP_INVALID_JSON_BODY';

  constructor(message: string) {
    super(message);
    this.name = JsonBodyError.name;
  }
}
