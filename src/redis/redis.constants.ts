/** Injection token of the shared app-level ioredis client. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Milliseconds a connection attempt may take before it counts as failed. */
export const REDIS_CONNECT_TIMEOUT_MS = 1000;

/** Upper bound of the delay between reconnect attempts while Redis is down. */
export const REDIS_MAX_RECONNECT_DELAY_MS = 5000;

/** Milliseconds `quit()` may take at shutdown before the socket is dropped. */
export const REDIS_QUIT_TIMEOUT_MS = 1000;

/** Minimum milliseconds between two "Redis unavailable" log lines during one outage. */
export const REDIS_ERROR_LOG_INTERVAL_MS = 30000;
