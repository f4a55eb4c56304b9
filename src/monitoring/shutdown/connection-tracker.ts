import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface ConnectionState {
  inFlight: number;
  bytesRead: number;
  /** Consecutive on-time sweeps that saw no new bytes and no request in flight. */
  quietSweeps: number;
}

const CONNECTION_STATE = Symbol('connectionState');

type TrackedResponse = ServerResponse & { [CONNECTION_STATE]?: ConnectionState };

/** A tracked response's `close`: its request is no longer in flight on its connection. */
function countOut(this: TrackedResponse): void {
  const state = this[CONNECTION_STATE];
  if (state) {
    state.inFlight -= 1;
    this[CONNECTION_STATE] = undefined;
  }
}

/**
 * Follows the HTTP server's connections to tell the truly idle ones from those that are busy:
 * a connection is idle only when no request on it is in flight AND no byte arrived on it over
 * several sweeps taken while the event loop was on time. Node's own `closeIdleConnections()`
 * looks at the parser alone, so a keep-alive socket whose next request is still unread (the
 * loop was busy) counts as idle and is reset with the request in it.
 * Attach before `listen()` so every connection is seen.
 */
export class ConnectionTracker {
  private readonly connections = new Map<Socket, ConnectionState>();

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.connections.set(socket, { inFlight: 0, bytesRead: 0, quietSweeps: 0 });
      socket.once('close', () => this.connections.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const state = this.connections.get(request.socket);
      if (state) {
        state.inFlight += 1;
        // One shared listener, no closure or `once` wrapper per request: a response closes once.
        (response as TrackedResponse)[CONNECTION_STATE] = state;
        response.on('close', countOut);
      }
    });
  }

  /** Open connections. */
  get size(): number {
    return this.connections.size;
  }

  /**
   * One sweep: updates every connection's quiet count (reset when the sweep is late, since a
   * blocked loop reads nothing) and closes those quiet for `quietSweeps` sweeps in a row.
   *
   * @returns the connections closed.
   */
  closeIdle(quietSweeps: number, onTime: boolean): number {
    let closed = 0;
    for (const [socket, state] of this.connections) {
      const bytesRead = socket.bytesRead;
      if (!onTime || state.inFlight > 0 || bytesRead !== state.bytesRead) {
        state.bytesRead = bytesRead;
        state.quietSweeps = 0;
        continue;
      }
      state.quietSweeps += 1;
      if (state.quietSweeps >= quietSweeps) {
        socket.destroy();
        closed += 1;
      }
    }
    return closed;
  }
}
