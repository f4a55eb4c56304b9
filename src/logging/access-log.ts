import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type {
  FastifyInstance,
  FastifyRequest,
  onResponseHookHandler,
  preParsingHookHandler,
} from 'fastify';
import { HttpEdge, type HookFunction } from '../edge';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
// nestjs-pino keeps the per-request logger in this store; its PinoLogger reads it on each call.
import { storage } from 'nestjs-pino/storage';
import { loggingConfig, type LoggingConfig } from './logging.config';
import { RequestContextGate } from './request-context';

/** The request part of every line logged during a request (no headers: nothing to redact). */
export interface RequestLogFields {
  id: string;
  method: string;
  url: string;
  remoteAddress: string | undefined;
}

/** The process's pino root logger (see LoggingModule). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
/** The root logger's destination, which the access log writes its batches to (see LoggingModule). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** Paths with no access line: probes, polled every few seconds. */
const QUIET_PREFIX = '/health';

function fieldsOf(request: FastifyRequest): RequestLogFields {
  return {
    id: request.id,
    method: request.method,
    url: request.url,
    remoteAddress: request.socket?.remoteAddress,
  };
}

/**
 * The log context of one request: the child logger carrying its fields is made on the first
 * line logged while serving it, not for every request.
 */
class RequestLogStore {
  readonly responseLogger = undefined;
  private child: Logger | undefined;

  constructor(
    private readonly root: Logger,
    private readonly request: FastifyRequest,
  ) {}

  get logger(): Logger {
    this.child ??= this.root.child({ req: fieldsOf(this.request) });
    return this.child;
  }

  set logger(value: Logger) {
    // PinoLogger.assign() replaces it with a child carrying extra fields.
    this.child = value;
  }
}

/**
 * Access logging as raw Fastify hooks, not Nest middleware: one line per request when its
 * response is done (`request completed`, or `request errored` at level error for a 5xx) with
 * id, method, URL, client address, status and `responseTime` in ms. Lines logged while
 * serving a request carry its fields (nestjs-pino's store, entered in the first `preParsing` hook).
 * Anonymous cache hits answered at the HTTP edge get no line unless `LOGGING__PUBLIC_EDGE_HITS`
 * (see {@link edgeLineWanted}).
 */
@Injectable()
export class AccessLog implements OnModuleInit, OnApplicationShutdown {
  private batch: LineBatch | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly root: Logger,
    @Inject(LOG_DESTINATION) private readonly destination: LineStream,
    @Inject(loggingConfig.KEY) private readonly config: LoggingConfig,
    @Optional() private readonly edge?: HttpEdge,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) {
      this.batch = install(fastify, this.root, this.destination, this.config, this.edge);
    }
  }

  /** Hands the last access lines to the destination (LogDestination writes it out at exit). */
  onApplicationShutdown(): void {
    this.batch?.close();
  }
}

/** The part of the log destination (see {@link LogDestination}) the batch writes to. */
export interface LineStream {
  write(chunk: Buffer): unknown;
  flushSync?(): void;
}

/**
 * Bytes of access lines handed to the destination in one write (~250 lines): each write is a
 * thread-pool round trip, ~30 µs of the process's CPU.
 */
const BATCH_BYTES = 64 * 1024;
/** The longest an access line waits in the batch. */
const BATCH_FLUSH_MS = 200;
/** UTF-8 bytes a UTF-16 code unit takes at most. */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Access lines encoded into one byte buffer and handed to the destination every
 * {@link BATCH_BYTES} bytes or {@link BATCH_FLUSH_MS}: one destination write per ~250 requests
 * instead of one per request, and each line encoded once, into place (no joined string to
 * measure and encode again). Lines logged through the logger go straight to the destination, so
 * an access line may follow lines logged after it by up to {@link BATCH_FLUSH_MS} (each carries
 * its `time`). At exit (a crash included) the batch is written synchronously; a SIGKILL loses at
 * most one batch.
 */
export class LineBatch {
  private buffer: Buffer;
  private used = 0;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onExit = (): void => {
    this.flush();
    try {
      this.stream.flushSync?.();
    } catch {
      // A destination still opening or already closed: nothing more can be written.
    }
  };

  constructor(
    private readonly stream: LineStream,
    private readonly maxBytes = BATCH_BYTES,
    flushMs = BATCH_FLUSH_MS,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(maxBytes);
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
    process.once('exit', this.onExit);
  }

  push(line: string): void {
    if (!this.makeRoom(line.length * MAX_BYTES_PER_UNIT)) {
      this.stream.write(Buffer.from(line));
      return;
    }
    this.used += this.buffer.write(line, this.used);
    this.flushIfDue();
  }

  /**
   * The access line of a request, encoded straight into the batch ({@link encodeAccessLine}):
   * the same bytes as `push(accessLine(fields, time))` without building the line as a string.
   */
  pushAccess(fields: AccessLineFields, time: number): void {
    if (!this.makeRoom(accessLineBound(fields))) {
      this.stream.write(Buffer.from(accessLine(fields, time)));
      return;
    }
    this.used = encodeAccessLine(this.buffer, this.used, fields, time);
    this.flushIfDue();
  }

  /**
   * Flushes when `worst` bytes do not fit after what is batched. False for a line longer than a
   * whole batch (a URL of many KB): the caller writes it on its own, after the lines before it.
   */
  private makeRoom(worst: number): boolean {
    if (this.used + worst > this.buffer.length) {
      this.flush();
    }
    return worst <= this.buffer.length;
  }

  private flushIfDue(): void {
    if (this.closed || this.used >= this.maxBytes) {
      this.flush();
    }
  }

  flush(): void {
    if (this.used === 0) {
      return;
    }
    let lines: Buffer;
    if (this.used * 4 < this.maxBytes) {
      // A small batch (a timer flush on a quiet server): a copy of its own size, so the bytes the
      // destination holds for a slow reader (and bounds) are the bytes it pins.
      lines = exactCopy(this.buffer, this.used);
    } else {
      // The destination keeps the bytes until they are written: the next lines go to a new buffer.
      lines = this.buffer.subarray(0, this.used);
      this.buffer = Buffer.allocUnsafeSlow(this.maxBytes);
    }
    this.used = 0;
    this.stream.write(lines);
  }

  /** Writes what is pending and stops the timer (app shutdown); later lines go straight through. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    process.removeListener('exit', this.onExit);
    this.flush();
  }
}

/** The first `length` bytes of `source` in a buffer of exactly that size (not a pool slice). */
function exactCopy(source: Buffer, length: number): Buffer {
  const copy = Buffer.allocUnsafeSlow(length);
  source.copy(copy, 0, 0, length);
  return copy;
}

/** What {@link accessLine} needs to know about a finished request. */
export interface AccessLineFields {
  id: string;
  method: string;
  url: string;
  remoteAddress: string | undefined;
  statusCode: number;
  /** Milliseconds, rounded. */
  responseTime: number;
}

/** What JSON.stringify would escape: quotes, backslashes, controls, (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as a JSON string literal; JSON.stringify only when something needs escaping. */
const quoted = (value: string): string =>
  NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;

const PID = process.pid;
const HOSTNAME = JSON.stringify(hostname());
const COMPLETED = 'request completed';
const ERRORED = 'request errored';

/**
 * The access line of one request, byte for byte what `root.info(line, 'request completed')` (or
 * `root.error(..., 'request errored')` for a 5xx) writes with pino's default base and timestamp,
 * built as one template string: no line object, no redaction pass (it carries no header), no
 * serializer walk. `access-log.spec.ts` compares it with pino's own output.
 */
export function accessLine(fields: AccessLineFields, time: number): string {
  const failed = fields.statusCode >= 500;
  const address =
    fields.remoteAddress === undefined ? '' : `,"remoteAddress":${quoted(fields.remoteAddress)}`;
  return `{"level":${failed ? 50 : 30},"time":${time},"pid":${PID},"hostname":${HOSTNAME},"req":{"id":${quoted(fields.id)},"method":${quoted(fields.method)},"url":${quoted(fields.url)}${address}},"res":{"statusCode":${fields.statusCode}},"responseTime":${fields.responseTime},"msg":"${failed ? ERRORED : COMPLETED}"}\n`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DIGIT_ZERO = 0x30;
/** UTF-8 bytes a UTF-16 code unit takes at most once JSON-escaped (`\u001f`). */
const MAX_ESCAPED_BYTES_PER_UNIT = 6;
/** Digits of the longest integer written (2^53). */
const MAX_INTEGER_DIGITS = 16;

/** The constant parts of an access line, as bytes (`accessLine` is the same line as a string). */
const segment = (text: string): Buffer => Buffer.from(text, 'utf8');
const LINE = {
  completedHead: segment('{"level":30,"time":'),
  erroredHead: segment('{"level":50,"time":'),
  id: segment(`,"pid":${PID},"hostname":${HOSTNAME},"req":{"id":`),
  method: segment(',"method":'),
  url: segment(',"url":'),
  remoteAddress: segment(',"remoteAddress":'),
  statusCode: segment('},"res":{"statusCode":'),
  responseTime: segment('},"responseTime":'),
  completedTail: segment(`,"msg":"${COMPLETED}"}\n`),
  erroredTail: segment(`,"msg":"${ERRORED}"}\n`),
};
const FIXED_BYTES =
  Object.values(LINE).reduce((total, bytes) => total + bytes.length, 0) +
  4 * 2 + // the quotes of four strings
  3 * MAX_INTEGER_DIGITS; // time, status, response time

/** The most bytes {@link encodeAccessLine} may write for these fields. */
export function accessLineBound(fields: AccessLineFields): number {
  const units =
    fields.id.length +
    fields.method.length +
    fields.url.length +
    (fields.remoteAddress?.length ?? 0);
  return FIXED_BYTES + units * MAX_ESCAPED_BYTES_PER_UNIT;
}

/**
 * Writes the access line of {@link accessLine} as UTF-8 into `buffer` at `offset` and returns
 * the offset after it; the caller leaves {@link accessLineBound} bytes of room. Constant parts
 * are copied, integers written digit by digit, and a string field byte by byte while it is
 * printable ASCII with nothing to escape (an id, a method, an address, most URLs); any other
 * field goes through `quoted` and `Buffer#write`, as the string line does.
 */
export function encodeAccessLine(
  buffer: Buffer,
  offset: number,
  fields: AccessLineFields,
  time: number,
): number {
  const failed = fields.statusCode >= 500;
  let at = put(buffer, offset, failed ? LINE.erroredHead : LINE.completedHead);
  at = writeInteger(buffer, at, time);
  at = writeQuoted(buffer, put(buffer, at, LINE.id), fields.id);
  at = writeQuoted(buffer, put(buffer, at, LINE.method), fields.method);
  at = writeQuoted(buffer, put(buffer, at, LINE.url), fields.url);
  if (fields.remoteAddress !== undefined) {
    at = writeQuoted(buffer, put(buffer, at, LINE.remoteAddress), fields.remoteAddress);
  }
  at = writeInteger(buffer, put(buffer, at, LINE.statusCode), fields.statusCode);
  at = writeInteger(buffer, put(buffer, at, LINE.responseTime), fields.responseTime);
  return put(buffer, at, failed ? LINE.erroredTail : LINE.completedTail);
}

function put(buffer: Buffer, offset: number, bytes: Buffer): number {
  buffer.set(bytes, offset);
  return offset + bytes.length;
}

function writeQuoted(buffer: Buffer, offset: number, value: string): number {
  let at = offset;
  buffer[at++] = QUOTE;
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    if (unit < 0x20 || unit > 0x7e || unit === QUOTE || unit === BACKSLASH) {
      // Something to escape, or a character of more than one byte: the string way.
      return offset + buffer.write(quoted(value), offset);
    }
    buffer[at++] = unit;
  }
  buffer[at++] = QUOTE;
  return at;
}

/** A non-negative safe integer in decimal, as `${value}` prints it; anything else through String. */
function writeInteger(buffer: Buffer, offset: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    return offset + buffer.write(String(value), offset);
  }
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) {
    digits++;
  }
  let rest = value;
  for (let at = offset + digits - 1; at >= offset; at--) {
    buffer[at] = DIGIT_ZERO + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return offset + digits;
}

/**
 * Whether a request the HTTP edge answered gets an access line. An anonymous hit (a fresh
 * in-process copy of a public response, 200 or 304) is what a CDN in front would have answered
 * without reaching the app: it is counted in `http_requests_total` and the cache's hit counters,
 * and logged one by one only with `LOGGING__PUBLIC_EDGE_HITS=true` (a line costs ~3 µs a
 * request, ~7% of such a hit). A user's hit and a refusal (429) always get their line.
 */
export function edgeLineWanted(
  publicEdgeHits: boolean,
  statusCode: number,
  userId: string | undefined,
): boolean {
  return publicEdgeHits || userId !== undefined || statusCode >= 400;
}

function install(
  fastify: FastifyInstance,
  root: Logger,
  destination: LineStream,
  config: LoggingConfig,
  edge?: HttpEdge,
): LineBatch | undefined {
  // An edge answer runs no handler: nothing is logged during it but its access line.
  const covers: HookFunction[] = [];
  if (root.isLevelEnabled('fatal')) {
    // Not `silent`. The rest of the request runs inside: body parsing (a late body included, see
    // test/e2e/logging/request-context.e2e-spec.ts), guards, interceptors, handler. Entered in the
    // first `preParsing` hook, not in `onRequest`: a response cache hit, answered by the last
    // `onRequest` hook, logs nothing but its access line and skips the context's cost.
    // The store's async hook is on only while such a request is in flight (RequestContextGate).
    const gate = new RequestContextGate<RequestLogStore>(storage);
    const enterContext: preParsingHookHandler = (request, reply, payload, done) => {
      if (reply.raw.closed) {
        // Its response already closed (the client left): no 'close' would count it out again.
        done(null, payload);
        return;
      }
      reply.raw.once('close', () => gate.leave());
      gate.enter(new RequestLogStore(root, request), () => done(null, payload));
    };
    fastify.addHook('preParsing', enterContext);
    covers.push(enterContext);
  }
  // The level is fixed at boot: with access lines off, nothing is built per request.
  const completed = root.isLevelEnabled('info');
  const errored = root.isLevelEnabled('error');
  if (!completed && !errored) {
    edge?.addStage({ name: 'request log context', covers });
    return undefined;
  }
  // The root logger's destination (LOG_DESTINATION), written in batches.
  const batch = new LineBatch(destination);
  const logs = (statusCode: number, url: string): boolean =>
    (statusCode >= 500 ? errored : completed) && !url.startsWith(QUIET_PREFIX);
  const onResponse: onResponseHookHandler = (request, reply, done) => {
    const { statusCode } = reply;
    if (logs(statusCode, request.url)) {
      batch.pushAccess(
        {
          id: request.id,
          method: request.method,
          url: request.url,
          remoteAddress: request.socket?.remoteAddress,
          statusCode,
          responseTime: Math.round(reply.elapsedTime),
        },
        Date.now(),
      );
    }
    done();
  };
  fastify.addHook('onResponse', onResponse);
  covers.push(onResponse);
  const { publicEdgeHits } = config;
  if (edge && completed && !publicEdgeHits) {
    root.info(
      'Access lines: anonymous cache hits answered at the HTTP edge are counted in metrics, not logged one by one (LOGGING__PUBLIC_EDGE_HITS=true logs them)',
    );
  }
  edge?.addStage({
    name: 'access log',
    covers,
    complete({ request, id, statusCode, seconds, userId }) {
      const url = request.url ?? '';
      if (edgeLineWanted(publicEdgeHits, statusCode, userId) && logs(statusCode, url)) {
        batch.pushAccess(
          {
            id,
            method: request.method ?? 'GET',
            url,
            remoteAddress: request.socket?.remoteAddress,
            statusCode,
            responseTime: Math.round(seconds * 1000),
          },
          Date.now(),
        );
      }
    },
  });
  return batch;
}
