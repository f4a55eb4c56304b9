import type { Socket } from 'node:net';
import type { FastifyInstance, onSendHookHandler } from 'fastify';

/**
 * When the app answers before the request body has fully arrived (413 from the declared
 * Content-Length, 415, a JSON error), the connection must close, but closing it at once while
 * the client is still sending makes the kernel reset it, and a reset can discard the response
 * before the client reads it: the client sees ECONNRESET/EPIPE instead of the 413. This closes
 * such connections the way nginx's `lingering_close` does: the response, then FIN, then the
 * rest of the body is read and dropped until the client closes or `lingerMs` passed.
 */
export function registerLingeringClose(
  fastify: FastifyInstance,
  lingerMs: number,
): onSendHookHandler {
  const hook: onSendHookHandler = (request, _reply, payload, done) => {
    if (!request.raw.complete) {
      const socket = request.raw.socket as Socket & { destroySoon?: () => void };
      socket.destroySoon = function lingeringClose(this: Socket): void {
        this.end();
        const timer = setTimeout(() => this.destroy(), lingerMs).unref();
        this.once('close', () => clearTimeout(timer));
      };
    }
    done(null, payload);
  };
  fastify.addHook('onSend', hook);
  return hook;
}
