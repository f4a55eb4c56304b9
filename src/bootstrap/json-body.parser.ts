import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from './json-scan';

/** Options of {@link registerJsonBodyParser}. */
export interface JsonBodyParserOptions {
  /** Deepest nesting of a JSON body (`HTTP__JSON_MAX_DEPTH`). */
  maxDepth: number;
}

/**
 * Makes `application/json` the only body type the app reads: every other content type (form
 * bodies, text) is answered 415 by Fastify before any handler or guard runs. JSON bodies are
 * depth-checked and, when they are large arrays, parsed in slices (see {@link parseJsonBody});
 * prototype poisoning is refused as by Fastify's own parser.
 *
 * A route that legitimately takes another type registers its own parser in its module, scoped
 * to its routes (`fastify.register` with `addContentTypeParser` inside).
 */
export function registerJsonBodyParser(
  fastify: FastifyInstance,
  options: JsonBodyParserOptions,
): void {
  const secureParse = fastify.getDefaultJsonParser('error', 'error');
  const parse = (text: string): unknown => {
    let result: unknown;
    void secureParse(undefined as never, text, (error, value) => {
      if (error) {
        throw error;
      }
      result = value;
    });
    return result;
  };
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    async (_request: unknown, body: Buffer) => {
      if (body.length === 0) {
        return parse(''); // Fastify's 400 for an empty JSON body
      }
      return parseJsonBody(body, { maxDepth: options.maxDepth, parse });
    },
  );
}
