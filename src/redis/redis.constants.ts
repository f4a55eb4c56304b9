/** Injection token of the shared app-level ioredis client. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Milliseconds `quit()` may take at shutdown before the socket is dropped. */
export const REDIS_QUIT_TIMEOUT_MS = 1000;

/** Minimum milliseconds between two "Redis unavailable" log lines of one connection set. */
export const REDIS_ERROR_LOG_INTERVAL_MS = 30000;

/** First reconnect delay; it doubles per attempt up to `REDIS__MAX_RECONNECT_DELAY_MS`. */
export const REDIS_RECONNECT_BASE_DELAY_MS = 50;
