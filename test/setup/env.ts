// Environment of every test worker. e2e runs get their own database and Redis prefix from the
// global setup (through process.env, which workers inherit).
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.AUTH__JWT_SECRET ??= 'test-only-jwt-secret-0123456789abcdefghijkl';
process.env.DATABASE__RUN_MIGRATIONS ??= 'false';
process.env.DATABASE__POOL_WARMUP ??= 'false';
process.env.DATABASE__POOL_SIZE ??= '2';
process.env.DATABASE__POOL_MAX_OVERFLOW ??= '8';
process.env.PAGINATION__CURSOR_SECRET ??= 'test-only-cursor-secret-0123456789abcdefghij';
// Suites drive thousands of requests from loopback; rate limit tests turn the limiter on themselves.
process.env.RATE_LIMIT__ENABLED ??= 'false';
// Suites build large bodies and drive load in the app's own event loop, which reads as overload:
// load shedding is tested on its own (test/e2e/http/load-shedding.e2e-spec.ts sets its bounds).
process.env.PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS ??= '0';
