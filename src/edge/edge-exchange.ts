import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EdgeExchange } from './edge.types';

/** An edge answer being built: its headers as the flat name-value list `writeHead` takes. */
export class Exchange implements EdgeExchange {
  id = '';
  statusCode = 200;
  seconds = -1;
  readonly headers: string[] = [];

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    readonly route: string,
    readonly userId: string | undefined,
    readonly startedAt: number,
  ) {}

  header(name: string, value: string | number): this {
    this.headers.push(name, typeof value === 'string' ? value : String(value));
    return this;
  }

  getHeader(name: string): string | undefined {
    for (let at = this.headers.length - 2; at >= 0; at -= 2) {
      if (this.headers[at] === name) {
        return this.headers[at + 1];
      }
    }
    return undefined;
  }
}
