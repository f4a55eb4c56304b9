import type { FastifyInstance, onSendHookHandler } from 'fastify';
import { ifNoneMatch } from './entry-response';

/**
 * Answers `304 Not Modified` (empty body) to a GET/HEAD whose `If-None-Match` matches the ETag of
 * its 200 response. For cache hits the handler did not run; the stored ETag is compared.
 */
export function registerConditionalGet(fastify: FastifyInstance): onSendHookHandler {
  const hook: onSendHookHandler = (request, reply, payload, done) => {
    const condition = request.headers['if-none-match'];
    if (condition === undefined) {
      // Most requests: nothing to compare, and no header lookup.
      done(null, payload);
      return;
    }
    const etag = reply.getHeader('etag');
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      reply.statusCode === 200 &&
      typeof etag === 'string' &&
      ifNoneMatch(condition, etag)
    ) {
      void reply.code(304);
      reply.removeHeader('content-length');
      done(null, null);
      return;
    }
    done(null, payload);
  };
  fastify.addHook('onSend', hook);
  return hook;
}
