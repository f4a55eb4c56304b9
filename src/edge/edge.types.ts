import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Fastify hook function, as `addHook` took it (compared by identity only). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type HookFunction = Function;

/**
 * One request the edge answers. Stages add headers with {@link EdgeExchange.header}, which has
 * the signature of `FastifyReply#header`, so a function written for a reply serves both.
 */
export interface EdgeExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The matched route's template (`/agents/:id`): limiter policies and metric labels. */
  readonly route: string;
  /** The verified user of its bearer token, if it has one. */
  readonly userId: string | undefined;
  /** `performance.now()` when the edge took the request. */
  readonly startedAt: number;
  /** The request id (set by the request-id stage; '' without one). */
  id: string;
  statusCode: number;
  /** Seconds from `startedAt` to the moment the head was built (-1 until then). */
  seconds: number;
  header(name: string, value: string | number): EdgeExchange;
  /** A header set so far (the last one of that name). */
  getHeader(name: string): string | undefined;
}

/** What a stage answers instead of the hit (the limiter's 429), as JSON. */
export interface EdgeRefusal {
  statusCode: number;
  body: object;
}

/**
 * What a module does on requests the edge answers, in place of its Fastify hooks (`covers`).
 * Stages run in the order they were added, as Fastify runs hooks.
 */
export interface EdgeStage {
  /** Shown in the log line that says why the edge is off. */
  readonly name: string;
  /** The Fastify hooks this stage stands in for on edge answers. */
  readonly covers?: readonly HookFunction[];
  /** False sends the request on to Fastify untouched: no side effect allowed here. */
  admits?(request: IncomingMessage): boolean;
  /** Adds headers; a refusal is answered instead of the hit. */
  enter?(exchange: EdgeExchange): EdgeRefusal | undefined;
  /** Right before the head is written, once `seconds` is known (X-Process-Time). */
  beforeWrite?(exchange: EdgeExchange): void;
  /** After the response went to Node: access line, metrics. */
  complete?(exchange: EdgeExchange): void;
}

/** A stored response the responder found for a request (see {@link EdgeResponder.find}). */
export interface EdgeMatch {
  /** The route template. */
  readonly route: string;
  /** The verified user the request carries a token of, if any (the rate limit's subject). */
  readonly userId?: string;
}

/** The one module whose stored responses the edge sends (the response cache). */
export interface EdgeResponder<M extends EdgeMatch = EdgeMatch> {
  readonly covers: readonly HookFunction[];
  /** The response to send, if one is ready now; no side effect (stats count in `write`). */
  find(request: IncomingMessage): M | undefined;
  /** Sets the status and headers of `match`; returns the body (undefined for a 304). */
  write(exchange: EdgeExchange, match: M): Buffer | undefined;
}
