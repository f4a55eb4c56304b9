import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { authorize, type Principal, type TokenService } from '../../auth';
import type { EdgeExchange, EdgeMatch, EdgeResponder, HookFunction } from '../../edge';
import type { CacheEntry } from '../engine/cache-entry';
import type { CachePolicy } from './cache-policy';
import { ifNoneMatch, markOutcome, writeEntry } from './entry-response';
import type { FastRoute } from './fast-path';
import type { ResponseStore } from './response-store';

/** URLs remembered before the map starts over (bounds its memory; a scan costs a fast-path hit). */
export const EDGE_URLS_SIZE = 10_000;

/**
 * The fast routes of URLs the fast path answered from L1, by raw URL: the edge routes nothing
 * itself. Only routes whose key is the default rule's (a pure function of URL, vary headers and
 * principal) are learnt, so the URL and the route's key memo give the key.
 */
export class EdgeUrls {
  private readonly urls = new Map<string, FastRoute>();

  constructor(
    private readonly policy: CachePolicy,
    private readonly capacity = EDGE_URLS_SIZE,
  ) {}

  /** Called by the fast path on an L1 hit. */
  learn(request: FastifyRequest, fast: FastRoute): void {
    const { headers, url } = request;
    if (
      !fast.edge ||
      headers.cookie !== undefined ||
      !this.policy.defaultKeys ||
      this.urls.get(url) === fast
    ) {
      return;
    }
    if (this.urls.size >= this.capacity) {
      this.urls.clear();
    }
    this.urls.set(url, fast);
  }

  get(url: string): FastRoute | undefined {
    return this.urls.get(url);
  }

  get size(): number {
    return this.urls.size;
  }
}

interface CacheEdgeMatch extends EdgeMatch {
  entry: CacheEntry;
  fast: FastRoute;
}

/** The request as the auth rule and the key rule read it. */
interface Caller {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  user?: Principal;
}

/**
 * The caller of a request the edge may answer: no cookie (the guard's and the fast path's rule),
 * and a bearer token, when sent, that the app's auth rule accepts for the route ({@link authorize},
 * the global guard's; a refused one goes to Fastify, where the guard answers 401/403).
 */
function callerOf(
  request: IncomingMessage,
  fast: FastRoute,
  tokens: TokenService | undefined,
): Caller | undefined {
  const { headers, method, url } = request;
  if (headers.cookie !== undefined || !method || !url) {
    return undefined;
  }
  const caller: Caller = { method, url, headers };
  if (headers.authorization === undefined) {
    return fast.anonymous ? caller : undefined;
  }
  if (!tokens) {
    return undefined;
  }
  try {
    authorize(tokens, caller, fast.access, request.socket);
    return caller;
  } catch {
    return undefined;
  }
}

/**
 * The response cache as the HTTP edge's responder: fresh, trusted L1 entries of learnt URLs, for
 * requests the fast path would answer (without credentials on public routes, with a bearer token
 * the auth rule accepts), written with the fast path's headers (`writeEntry`) and its 304.
 * Everything else (Redis hits, stale copies, cookies, refused tokens) stays with the fast path and Nest.
 */
export function cacheEdgeResponder(
  urls: EdgeUrls,
  store: ResponseStore,
  policy: CachePolicy,
  tokens: TokenService | undefined,
  covers: HookFunction[],
): EdgeResponder<CacheEdgeMatch> {
  return {
    covers,
    find(request: IncomingMessage): CacheEdgeMatch | undefined {
      const fast = request.url === undefined ? undefined : urls.get(request.url);
      const caller = fast && callerOf(request, fast, tokens);
      const built = caller && policy.learntKey(fast.route, caller);
      const entry = built && store.findFresh(built.key);
      return entry && fast && caller
        ? { route: fast.template, userId: caller.user?.id, entry, fast }
        : undefined;
    },
    write(exchange: EdgeExchange, { entry, fast }: CacheEdgeMatch): Buffer | undefined {
      store.countL1Hit();
      markOutcome(exchange, 'HIT', policy.xCacheHeader);
      const { request } = exchange;
      const body = writeEntry(request, exchange, entry, fast.route.options, store);
      const condition = request.headers['if-none-match'];
      if (condition !== undefined && ifNoneMatch(condition, exchange.getHeader('etag') ?? '')) {
        exchange.statusCode = 304;
        return undefined;
      }
      exchange.header('content-length', body.length);
      return body;
    },
  };
}
