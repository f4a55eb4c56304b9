import { Server } from 'node:net';
import type { Server as HttpServer } from 'node:http';

/** Time accepted connections get to send their first request before idle ones are closed. */
const IDLE_GRACE_MS = 100;
const POLL_MS = 25;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const openConnections = (server: HttpServer): Promise<number> =>
  new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));

/**
 * Stops accepting connections without dropping the accepted ones (Node's `http.Server#close`
 * would also reset connections that have not sent their request yet), then waits until every
 * connection has finished, closing idle keep-alive ones, for at most `timeoutMs`. Responses
 * carry `Connection: close` meanwhile (see ShutdownConnectionHeader).
 *
 * @returns whether every connection finished in time.
 */
export async function stopAcceptingAndDrain(
  server: HttpServer,
  timeoutMs: number,
): Promise<boolean> {
  if (server.listening) {
    Server.prototype.close.call(server);
  }
  const deadline = Date.now() + timeoutMs;
  await sleep(Math.min(IDLE_GRACE_MS, timeoutMs));
  for (;;) {
    server.closeIdleConnections();
    if ((await openConnections(server)) === 0) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(POLL_MS);
  }
}
