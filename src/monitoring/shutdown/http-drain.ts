import { Server } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { ConnectionTracker } from './connection-tracker';

const SWEEP_MS = 25;
/** A sweep later than this counts as "the loop was busy": nothing is judged idle from it. */
const LATE_MS = 25;
/** Quiet sweeps in a row before a connection is idle (~100 ms of a responsive loop). */
const QUIET_SWEEPS = 4;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops accepting connections without dropping the accepted ones (Node's `http.Server#close`
 * would also close connections whose next request is not parsed yet), then waits until every
 * connection has finished, for at most `timeoutMs`. Responses carry `Connection: close` by
 * then (see ShutdownConnectionHook), so a connection closes after its response; a connection
 * is closed by the server only when it has been idle (see {@link ConnectionTracker}).
 *
 * @returns whether every connection finished in time.
 */
export async function stopAcceptingAndDrain(
  server: HttpServer,
  connections: ConnectionTracker,
  timeoutMs: number,
): Promise<boolean> {
  if (server.listening) {
    Server.prototype.close.call(server);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (connections.size === 0) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    const before = Date.now();
    await sleep(SWEEP_MS);
    connections.closeIdle(QUIET_SWEEPS, Date.now() - before - SWEEP_MS <= LATE_MS);
  }
}
