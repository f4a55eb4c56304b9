import type { Server } from 'node:http';

/** Options of {@link applyHttpTimeouts} (the `HTTP__*_TIMEOUT_MS` keys). */
export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/**
 * Bounds how long a client may take to send a request, so slow or stalled senders are cut off
 * (408, then the connection closes) before anything else (authentication included) runs:
 * `headersTimeout` for the headers, `requestTimeout` for headers plus body. Node enforces both
 * from a periodic sweep of the open connections; the sweep runs at a quarter of the shorter
 * timeout (at most every second), so a connection is closed within 1.25x its timeout.
 * Must run before `listen()` (the sweep starts on 'listening').
 */
export function applyHttpTimeouts(server: Server, timeouts: HttpTimeouts): void {
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  const shortest = Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs);
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    Math.max(25, Math.min(1000, Math.floor(shortest / 4)));
}
