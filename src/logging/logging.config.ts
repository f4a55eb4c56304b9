import { registerAs } from '@nestjs/config';
import { EnvBoolean, validateEnv } from '../config';

/** Env keys of the access log (the level is `LOG_LEVEL`, shared with every other line). */
export class LoggingEnv {
  /**
   * Write an access line for each anonymous cache hit answered at the HTTP edge (a fresh
   * in-process copy, 200 or 304, no handler run). Off by default: like a CDN's hits, they are
   * counted in metrics (`http_requests_total`, the cache's hit counters), not logged one by one.
   * Every other request, a refused one included (429), gets its line.
   */
  @EnvBoolean()
  LOGGING__PUBLIC_EDGE_HITS = false;
}

/** Typed `logging` namespace. */
export const loggingConfig = registerAs('logging', () => {
  const env = validateEnv(LoggingEnv, process.env);
  return {
    publicEdgeHits: env.LOGGING__PUBLIC_EDGE_HITS,
  };
});

export type LoggingConfig = ReturnType<typeof loggingConfig>;
