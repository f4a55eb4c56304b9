import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { TokenService } from '../auth';
import type { EdgeExchange, HttpEdge } from '../edge';
import { Decision, FleetCounter, WindowPolicy } from './fleet-counter';
import type { RateLimitConfig } from './rate-limit.config';
import { isRateLimitExempt } from './rate-limit.constants';
import type { RateLimitOptions } from './rate-limit.decorator';

/**
 * Who a request counts against: the verified token's user (`u:<sub>`), else the client IP
 * (`ip:<address>`, which is the proxy's unless Fastify's `trustProxy` is set). A token that does
 * not verify counts against the IP; the guard refuses it later. The connection's last accepted
 * header costs a string comparison, a known token a map lookup (`verifyAuthorization`).
 */
export function subjectOf(request: FastifyRequest, tokens: TokenService): string {
  const header = request.headers.authorization;
  if (header !== undefined) {
    try {
      return `u:${tokens.verifyAuthorization(header, request.raw.socket).id}`;
    } catch {
      // Counted by IP below.
    }
  }
  return `ip:${request.ip}`;
}

/** A route's window policy, with its `RateLimit-Policy` and `RateLimit-Limit` values built once. */
export interface RoutePolicy extends WindowPolicy {
  readonly header: string;
  /** Its `RateLimit-Limit` value. */
  readonly limitHeader: string;
}

const routePolicy = (policy: WindowPolicy): RoutePolicy => ({
  ...policy,
  header: `${policy.limit};w=${Math.ceil(policy.windowMs / 1000)}`,
  limitHeader: String(policy.limit),
});

/** The policy of each route (null: exempt), resolved once per route from its decorator. */
export class RoutePolicies {
  /** Method, then route template: no key string is built per request. */
  private readonly byRoute = new Map<string, Map<string, RoutePolicy | null>>();
  private readonly fallback: RoutePolicy;

  constructor(
    private readonly overrides: Map<string, RateLimitOptions>,
    private readonly config: Pick<RateLimitConfig, 'limit' | 'windowMs'>,
  ) {
    this.fallback = routePolicy({ id: 'all', limit: config.limit, windowMs: config.windowMs });
  }

  of(method: string, url: string | undefined): RoutePolicy | null {
    if (url === undefined) {
      return this.fallback; // unmatched routes (404s) count too
    }
    const verb = method === 'HEAD' ? 'GET' : method;
    let byUrl = this.byRoute.get(verb);
    if (byUrl === undefined) {
      byUrl = new Map();
      this.byRoute.set(verb, byUrl);
    }
    let policy = byUrl.get(url);
    if (policy === undefined) {
      policy = this.resolve(`${verb} ${url}`, url);
      byUrl.set(url, policy);
    }
    return policy;
  }

  private resolve(id: string, url: string): RoutePolicy | null {
    if (isRateLimitExempt(url)) {
      return null;
    }
    const options = this.overrides.get(id) ?? this.overrides.get(`* ${url}`);
    if (!options) {
      return this.fallback;
    }
    if (options.skip) {
      return null;
    }
    return routePolicy({
      id: `route:${id}`,
      limit: options.limit ?? this.config.limit,
      windowMs: options.windowMs ?? this.config.windowMs,
    });
  }
}

/**
 * Sets the rate limit fields of draft-ietf-httpapi-ratelimit-headers-06 (`RateLimit-Policy`,
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` in seconds), as express-rate-limit's
 * `draft-6` does, and `Retry-After` on a refusal.
 */
export function writeHeaders(
  reply: Pick<FastifyReply, 'header'> | EdgeExchange,
  policy: RoutePolicy,
  decision: Decision,
): void {
  const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
  // One call each: no header object per request.
  reply.header('ratelimit-policy', policy.header);
  reply.header('ratelimit-limit', policy.limitHeader);
  reply.header('ratelimit-remaining', decision.remaining);
  reply.header('ratelimit-reset', resetSeconds);
  if (!decision.allowed) {
    reply.header('retry-after', resetSeconds);
  }
}

/** The body of a 429, in the app's error shape. */
function refusalOf(policy: RoutePolicy, decision: Decision) {
  const seconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
  return {
    statusCode: 429,
    message: `Rate limit of ${policy.limit} requests per ${policy.windowMs / 1000} s reached, retry in ${seconds} s`,
    error: 'Too Many Requests',
  };
}

/**
 * Adds the limiter as an `onRequest` hook: it runs before the body is read, before Nest's guards
 * and before the response cache's fast path (the last `onRequest` hook), so cached public routes are limited too.
 * A refused request gets 429 in the app's error shape.
 */
export function registerRateLimitHook(
  fastify: FastifyInstance,
  counter: FleetCounter,
  policies: RoutePolicies,
  tokens: TokenService,
  edge?: HttpEdge,
): void {
  const hook: onRequestHookHandler = (request, reply, done) => {
    const policy = policies.of(request.method, request.routeOptions.url);
    if (!policy) {
      done();
      return;
    }
    const decision = counter.hit(policy, subjectOf(request, tokens));
    writeHeaders(reply, policy, decision);
    if (decision.allowed) {
      done();
      return;
    }
    void reply.code(429).send(refusalOf(policy, decision));
  };
  fastify.addHook('onRequest', hook);
  // The edge answers only requests whose token verified: the same subject as subjectOf.
  edge?.addStage({
    name: 'rate limit',
    covers: [hook],
    enter(exchange) {
      const policy = policies.of(exchange.request.method ?? 'GET', exchange.route);
      if (!policy) {
        return undefined;
      }
      const { userId } = exchange;
      const subject =
        userId === undefined ? `ip:${edge.clientIp(exchange.request)}` : `u:${userId}`;
      const decision = counter.hit(policy, subject);
      writeHeaders(exchange, policy, decision);
      return decision.allowed ? undefined : { statusCode: 429, body: refusalOf(policy, decision) };
    },
  });
}
