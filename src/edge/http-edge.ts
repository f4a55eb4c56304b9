import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { clientIpOf } from './client-ip';
import { Exchange } from './edge-exchange';
import type { EdgeMatch, EdgeResponder, EdgeStage, HookFunction } from './edge.types';
import { isIdleMiddie, rootRequestHooks } from './fastify-hooks';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Answers stored responses (the response cache's fresh L1 hits) in front of Fastify, in the HTTP
 * server's `request` listener: no Fastify request, reply or hook chain, which cost a hit more than
 * the hit itself. Every module with a per-request Fastify hook adds a stage that does its part on
 * these answers (security headers, request id, rate limit, timing and metrics, access line) and
 * names the hooks it stands in for; at `listen` the edge turns itself on only if every request
 * hook on the root instance is so covered (plus Nest's adapter hooks and an idle middie). A hook
 * or Nest middleware of the app's own keeps it off, with a log line naming why. Anything the
 * edge does not answer (a miss, a cookie, a token the auth rule refuses, a body, a gate that says
 * no, a lookup that throws) goes to Fastify as if the edge were not there.
 */
@Injectable()
export class HttpEdge {
  private readonly logger = new Logger('HttpEdge');
  private readonly stages: EdgeStage[] = [];
  private readonly gates: EdgeStage[] = [];
  private readonly entering: EdgeStage[] = [];
  private readonly writing: EdgeStage[] = [];
  private readonly completing: EdgeStage[] = [];
  private responder?: EdgeResponder;
  private responderName = '';
  private offBecause?: string;
  private installed = false;
  /** Set when Fastify starts closing: its own 503 (`return503OnClosing`) answers from then on. */
  private closing = false;
  /** Hooks already on the instance when the edge was made: Nest's adapter's own. */
  private adapterHooks: ReadonlySet<HookFunction> = new Set();
  private trustedHops = 0;

  /** Whether the edge answers requests (after `listen`). */
  get active(): boolean {
    return this.installed;
  }

  /** Why the edge is off, once it decided (undefined while on or before `listen`). */
  get reason(): string | undefined {
    return this.offBecause;
  }

  /**
   * Remembers the hooks the instance has now (Nest's adapter adds its own when it is created) and
   * installs the edge when Fastify is ready, after every module added its hooks and stages.
   */
  attach(fastify: FastifyInstance): void {
    this.adapterHooks = new Set(rootRequestHooks(fastify) ?? []);
    fastify.addHook('onReady', (done) => {
      this.install(fastify);
      done();
    });
    fastify.addHook('preClose', (done) => {
      this.closing = true;
      done();
    });
  }

  /** Fastify's `trustProxy` hop count, set where the adapter is made (`createApp`). */
  trustProxyHops(hops: number): void {
    this.trustedHops = hops;
  }

  /** The client address of a request, as Fastify's `request.ip` gives it. */
  clientIp(request: IncomingMessage): string | undefined {
    return clientIpOf(request, this.trustedHops);
  }

  /** Adds a module's stage; stages run in the order they are added. */
  addStage(stage: EdgeStage): void {
    this.stages.push(stage);
    if (stage.admits) {
      this.gates.push(stage);
    }
    if (stage.enter) {
      this.entering.push(stage);
    }
    if (stage.beforeWrite) {
      this.writing.push(stage);
    }
    if (stage.complete) {
      this.completing.push(stage);
    }
  }

  /** Sets the module whose stored responses are answered here (one per app). */
  setResponder<M extends EdgeMatch>(name: string, responder: EdgeResponder<M>): void {
    this.responder = responder;
    this.responderName = name;
  }

  /** Keeps the edge off (e.g. CORS, whose headers it does not write). */
  disable(reason: string): void {
    this.offBecause ??= reason;
  }

  /** Turns the edge on for `fastify`'s server, if everything its answers skip is covered. */
  install(fastify: FastifyInstance): void {
    if (this.installed) {
      return;
    }
    const reason = this.offBecause ?? this.uncovered(fastify);
    if (reason !== undefined) {
      this.offBecause = reason;
      if (this.responder) {
        this.logger.log(`Off: ${reason}; cached hits are answered by the Fastify fast path`);
      }
      return;
    }
    const server = fastify.server;
    // Fastify's own request listener (`fastify.routing` is the handler it gave createServer).
    const handler = (request: IncomingMessage, response: ServerResponse): void =>
      fastify.routing(request, response);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity only
    const routing = fastify.routing;
    if (!server.listeners('request').includes(routing)) {
      this.offBecause = "Fastify's request handler is not the server's listener";
      return;
    }
    server.removeListener('request', routing);
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!this.answer(request, response)) {
        handler(request, response);
      }
    });
    this.installed = true;
  }

  /** Why the edge may not answer: no responder, or a request hook no stage covers. */
  private uncovered(fastify: FastifyInstance): string | undefined {
    if (!this.responder) {
      return 'nothing to answer';
    }
    const hooks = rootRequestHooks(fastify);
    if (!hooks) {
      return "Fastify's hooks are not where Fastify 5 keeps them";
    }
    const covered = new Set<HookFunction>([...this.adapterHooks, ...this.responder.covers]);
    for (const stage of this.stages) {
      stage.covers?.forEach((hook) => covered.add(hook));
    }
    const unknown = hooks.filter((hook) => !covered.has(hook) && !isIdleMiddie(fastify, hook));
    if (unknown.length > 0) {
      const names = unknown.map((hook) => hook.name || 'anonymous').join(', ');
      return `${unknown.length} Fastify hook(s) or Nest middleware no edge stage covers (${names})`;
    }
    return undefined;
  }

  /** Answers the request if a stored response is ready and every gate admits it. */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const method = request.method;
    if ((method !== 'GET' && method !== 'HEAD') || this.closing) {
      return false;
    }
    const headers = request.headers;
    // A body to read (and maybe to refuse) is Fastify's work.
    if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) {
      return false;
    }
    const match = this.matchOf(request);
    if (!match) {
      return false;
    }
    const exchange = new Exchange(request, response, match.route, match.userId, performance.now());
    try {
      this.respond(exchange, match);
    } catch (error) {
      // A stage or the responder threw: nothing was written yet (writeHead comes last).
      if (!response.headersSent) {
        this.logger.error({ msg: `${this.responderName} edge answer failed`, err: error });
        exchange.statusCode = 500;
        exchange.seconds = (performance.now() - exchange.startedAt) / 1000;
        response.writeHead(500, ['content-type', JSON_TYPE]);
        response.end('{"statusCode":500,"message":"Internal server error"}');
      }
    }
    // After the response: a failure here is logged, as Fastify logs a failed onResponse hook (it
    // would otherwise leave the request listener as an uncaught exception).
    try {
      for (let index = 0; index < this.completing.length; index++) {
        this.completing[index].complete!(exchange);
      }
    } catch (error) {
      this.logger.error({ msg: 'edge completion failed', err: error });
    }
    return true;
  }

  /** The stored response to send, once every gate admits the request; undefined: Fastify's. */
  private matchOf(request: IncomingMessage): EdgeMatch | undefined {
    try {
      for (let index = 0; index < this.gates.length; index++) {
        if (!this.gates[index].admits!(request)) {
          return undefined;
        }
      }
      return this.responder!.find(request);
    } catch (error) {
      // Nothing was counted or written: Fastify serves it, with its own error handling.
      this.logger.error({ msg: `${this.responderName} edge lookup failed`, err: error });
      return undefined;
    }
  }

  private respond(exchange: Exchange, match: EdgeMatch): void {
    let body: Buffer | undefined;
    let refused = false;
    for (let index = 0; index < this.entering.length && !refused; index++) {
      const refusal = this.entering[index].enter!(exchange);
      if (refusal) {
        refused = true;
        exchange.statusCode = refusal.statusCode;
        body = Buffer.from(JSON.stringify(refusal.body));
        exchange.header('content-type', JSON_TYPE).header('content-length', body.length);
      }
    }
    if (!refused) {
      body = this.responder!.write(exchange, match);
    }
    exchange.seconds = (performance.now() - exchange.startedAt) / 1000;
    for (let index = 0; index < this.writing.length; index++) {
      this.writing[index].beforeWrite!(exchange);
    }
    const { response } = exchange;
    response.writeHead(exchange.statusCode, exchange.headers);
    response.end(exchange.request.method === 'HEAD' ? undefined : body);
  }
}
