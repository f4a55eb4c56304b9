import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { JsonBodyError } from './json-body.error';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Options of {@link parseJsonBody}. */
export interface JsonScanOptions {
  /** Deepest nesting of arrays and objects accepted. */
  maxDepth: number;
  /** Parses one JSON text (throws on invalid JSON); Fastify's secure parser in the app. */
  parse: (text: string) => unknown;
  /** Bytes scanned and parsed between two yields to the event loop. @default 262144 */
  sliceBytes?: number;
}

const INVALID = 'Body is not valid JSON';

const tooDeep = (maxDepth: number): JsonBodyError =>
  new JsonBodyError(`Body nests arrays and objects deeper than ${maxDepth} levels`);

/** Index of the quote closing the string opened at `open`, or -1 (memchr, not a byte loop). */
function endOfString(body: Buffer, open: number): number {
  let quote = body.indexOf(QUOTE, open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) {
      backslashes += 1;
    }
    if (backslashes % 2 === 0) {
      return quote;
    }
    quote = body.indexOf(QUOTE, quote + 1);
  }
  return -1;
}

function isBlank(body: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = body[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      return false;
    }
  }
  return true;
}

/** Throws when brackets outside strings nest deeper than `maxDepth` (a byte scan, no parse). */
export function assertJsonDepth(body: Buffer, maxDepth: number): void {
  let depth = 0;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (c === QUOTE) {
      const close = endOfString(body, i);
      if (close === -1) {
        return; // unterminated: JSON.parse reports it
      }
      i = close;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth += 1;
      if (depth > maxDepth) {
        throw tooDeep(maxDepth);
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth -= 1;
    }
  }
}

/**
 * Parses a JSON body without letting it stall the process: the nesting depth is checked by a
 * byte scan before anything is parsed (a deeply nested body would otherwise overflow the stack
 * of the recursive code that walks it later), and a body that is a large top-level array (a
 * batch) is parsed a slice of elements at a time, yielding to the event loop between slices,
 * instead of in one `JSON.parse` call that blocks for as long as the body is big.
 *
 * @throws JsonBodyError (400) when the body is too deep or not JSON.
 */
export async function parseJsonBody(body: Buffer, options: JsonScanOptions): Promise<unknown> {
  const sliceBytes = options.sliceBytes ?? 256 * 1024;
  let first = 0;
  while (first < body.length && isBlank(body, first, first + 1)) {
    first += 1;
  }
  if (body.length <= sliceBytes || body[first] !== OPEN_ARRAY) {
    assertJsonDepth(body, options.maxDepth);
    return parseText(options, body.toString('utf8'));
  }
  return parseArrayInSlices(body, first, options.maxDepth, sliceBytes, options);
}

function parseText(options: JsonScanOptions, text: string): unknown {
  try {
    return options.parse(text);
  } catch (error) {
    throw error instanceof JsonBodyError ? error : new JsonBodyError(INVALID);
  }
}

async function parseArrayInSlices(
  body: Buffer,
  first: number,
  maxDepth: number,
  sliceBytes: number,
  options: JsonScanOptions,
): Promise<unknown[]> {
  const items: unknown[] = [];
  const parseSegment = (from: number, to: number): void => {
    if (isBlank(body, from, to)) {
      throw new JsonBodyError(INVALID); // `[,1]`, `[1,,2]` or `[1,]`
    }
    const values = parseText(options, `[${body.toString('utf8', from, to)}]`) as unknown[];
    for (const value of values) {
      items.push(value);
    }
  };
  let depth = 0;
  let segmentStart = first + 1;
  let end = -1;
  let i = first;
  while (i < body.length && end === -1) {
    const sliceEnd = Math.min(body.length, i + sliceBytes);
    let lastCut = -1;
    for (; i < sliceEnd; i += 1) {
      const c = body[i];
      if (c === QUOTE) {
        i = endOfString(body, i);
        if (i === -1) {
          throw new JsonBodyError(INVALID);
        }
      } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
        depth += 1;
        if (depth > maxDepth) {
          throw tooDeep(maxDepth);
        }
      } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
        depth -= 1;
        if (depth === 0) {
          end = i;
          break;
        }
      } else if (c === COMMA && depth === 1) {
        lastCut = i;
      }
    }
    if (lastCut !== -1) {
      parseSegment(segmentStart, lastCut);
      segmentStart = lastCut + 1;
      await yieldToEventLoop();
    }
  }
  if (end === -1 || body[end] !== CLOSE_ARRAY || !isBlank(body, end + 1, body.length)) {
    throw new JsonBodyError(INVALID);
  }
  if (segmentStart === first + 1 && isBlank(body, segmentStart, end)) {
    return items; // `[]`
  }
  parseSegment(segmentStart, end);
  return items;
}
