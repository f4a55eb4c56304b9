import pino from 'pino';
import {
  accessLine,
  accessLineBound,
  edgeLineWanted,
  type AccessLineFields,
  encodeAccessLine,
  LineBatch,
} from './access-log';

const TIME = 1_764_700_000_123;

/** What pino itself writes for the access line's fields, with a fixed clock. */
function pinoLine(fields: AccessLineFields): string {
  let written = '';
  const logger = pino(
    { level: 'info', timestamp: () => `,"time":${TIME}` },
    { write: (line: string) => (written = line) },
  );
  const line = {
    req: {
      id: fields.id,
      method: fields.method,
      url: fields.url,
      remoteAddress: fields.remoteAddress,
    },
    res: { statusCode: fields.statusCode },
    responseTime: fields.responseTime,
  };
  if (fields.statusCode >= 500) {
    logger.error(line, 'request errored');
  } else {
    logger.info(line, 'request completed');
  }
  return written;
}

const base: AccessLineFields = {
  id: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
  method: 'GET',
  url: '/agents?size=5',
  remoteAddress: '127.0.0.1',
  statusCode: 200,
  responseTime: 3,
};

const cases: Array<[string, AccessLineFields]> = [
  ['a 200', base],
  ['a 404 from IPv6', { ...base, statusCode: 404, remoteAddress: '::ffff:10.0.0.7' }],
  ['a 503 (level error)', { ...base, statusCode: 503 }],
  ['no client address', { ...base, remoteAddress: undefined }],
  [
    'a URL that needs escaping',
    { ...base, url: '/search?q="quoted"\\back\u0001slash\n&emoji=\u{1F600}\u2028' },
  ],
  ['a URL with a lone surrogate', { ...base, url: '/x?q=\ud800&r=\udfff' }],
  ['a URL with latin-1 characters', { ...base, url: '/caf\u00e9?q=\u00ff\u007f' }],
  ['an id that needs escaping', { ...base, id: 'a"b\\c' }],
  ['a DEL character and a tab', { ...base, url: '/x?q=\u007f\t' }],
  ['a slow response', { ...base, responseTime: 12_345 }],
  ['a response under a millisecond', { ...base, responseTime: 0 }],
];

describe('accessLine', () => {
  it.each(cases)('should write byte for byte what pino writes: %s', (_name, fields) => {
    const line = accessLine(fields, TIME);

    expect(line).toBe(pinoLine(fields));
    expect(JSON.parse(line)).toMatchObject({ req: { url: fields.url } });
  });
});

describe('encodeAccessLine', () => {
  it.each(cases)('should encode byte for byte what pino writes: %s', (_name, fields) => {
    const bound = accessLineBound(fields);
    // Bytes around the line must stay as they were: it writes only its own, within its bound.
    const buffer = Buffer.alloc(bound + 10, 0xee);

    const end = encodeAccessLine(buffer, 5, fields, TIME);

    expect(buffer.subarray(5, end).toString('utf8')).toBe(pinoLine(fields));
    expect(end - 5).toBeLessThanOrEqual(bound);
    expect(buffer.subarray(0, 5).every((byte) => byte === 0xee)).toBe(true);
    expect(buffer.subarray(end).every((byte) => byte === 0xee)).toBe(true);
  });

  it('should stay within its bound for fields that are all escapes', () => {
    const fields = { ...base, id: '\u0001'.repeat(40), url: '\u001f'.repeat(300) };
    const bound = accessLineBound(fields);
    const buffer = Buffer.alloc(bound);

    const end = encodeAccessLine(buffer, 0, fields, TIME);

    expect(end).toBeLessThanOrEqual(bound);
    expect(buffer.subarray(0, end).toString('utf8')).toBe(pinoLine(fields));
  });
});

describe('LineBatch', () => {
  let writes: string[];
  const stream = {
    write: (chunk: Buffer) => writes.push(chunk.toString('utf8')),
    flushSync: jest.fn(),
  };
  let batch: LineBatch | undefined;

  beforeEach(() => {
    writes = [];
    stream.flushSync.mockClear();
  });

  afterEach(() => batch?.close());

  it('should hand lines to the destination in one write once the batch is full, in order', () => {
    // Room for 30 bytes: a line goes in while its worst-case UTF-8 size (3 bytes a unit) fits.
    batch = new LineBatch(stream, 30, 60_000);
    batch.push('a\n');
    batch.push('bb\n');
    batch.push('é\n');
    expect(writes).toEqual([]);
    batch.push('ccccccccc\n');
    expect(writes).toEqual(['a\nbb\né\n']);
    batch.push('d\n');
    expect(writes).toHaveLength(1);
    batch.flush();
    expect(writes).toEqual(['a\nbb\né\n', 'ccccccccc\nd\n']);
  });

  it('should write a line longer than a batch on its own, after the lines before it', () => {
    batch = new LineBatch(stream, 30, 60_000);
    batch.push('a\n');
    const long = `${'x'.repeat(40)}\n`;
    batch.push(long);
    batch.push('b\n');
    batch.flush();
    expect(writes).toEqual(['a\n', long, 'b\n']);
  });

  it('should encode access lines into the batch in order with other lines, and flush when full', () => {
    const bound = accessLineBound(base);
    const length = Buffer.byteLength(pinoLine(base));
    // Room for a line, a short line and a line at its bound (the second), not for a third.
    batch = new LineBatch(stream, bound + length + 30, 60_000);
    const second = { ...base, url: '/tools?size=20', statusCode: 503 };
    batch.pushAccess(base, TIME);
    batch.push('between\n');
    batch.pushAccess(second, TIME);
    expect(writes).toEqual([]);
    batch.pushAccess(base, TIME + 1);
    expect(writes).toEqual([`${pinoLine(base)}between\n${pinoLine(second)}`]);
    batch.flush();
    expect(writes[1]).toBe(accessLine(base, TIME + 1));
  });

  it('should write an access line longer than a batch on its own', () => {
    batch = new LineBatch(stream, 200, 60_000);
    const long = { ...base, url: `/agents?q=${'x'.repeat(300)}` };
    batch.push('a\n');
    batch.pushAccess(long, TIME);
    batch.flush();
    expect(writes).toEqual(['a\n', pinoLine(long)]);
  });

  it('should hand a small batch over as a copy of its own size, not a slice of the batch buffer', () => {
    const chunks: Buffer[] = [];
    batch = new LineBatch({ write: (chunk: Buffer) => chunks.push(chunk) }, 64 * 1024, 60_000);
    batch.push('one quiet line\n');
    batch.flush();
    // A slow reader holds what it was given: 15 bytes must not pin a 64 KiB buffer.
    expect(chunks[0].toString()).toBe('one quiet line\n');
    expect(chunks[0].buffer.byteLength).toBe(chunks[0].length);
  });

  it('should hand each batch over in its own buffer (the destination keeps it until written)', () => {
    const chunks: Buffer[] = [];
    batch = new LineBatch({ write: (chunk: Buffer) => chunks.push(chunk) }, 30, 60_000);
    batch.push('first\n');
    batch.flush();
    batch.push('second\n');
    batch.flush();
    expect(chunks.map((chunk) => chunk.toString())).toEqual(['first\n', 'second\n']);
  });

  it('should write a partial batch when its timer fires', async () => {
    batch = new LineBatch(stream, 1_000_000, 20);
    batch.push('late\n');
    const deadline = Date.now() + 5000;
    while (writes.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(writes).toEqual(['late\n']);
  });

  it('should write what is pending on close, and later lines straight through', () => {
    batch = new LineBatch(stream, 1_000_000, 60_000);
    batch.push('one\n');
    batch.close();
    expect(writes).toEqual(['one\n']);
    batch.push('two\n');
    expect(writes).toEqual(['one\n', 'two\n']);
  });

  it('should write and flush the destination synchronously when the process exits', () => {
    const before = process.listenerCount('exit');
    batch = new LineBatch(stream, 1_000_000, 60_000);
    expect(process.listenerCount('exit')).toBe(before + 1);
    batch.push('last words\n');
    // Its own listener only: emitting 'exit' would run the test runner's too.
    const onExit = process.listeners('exit').at(-1) as () => void;
    onExit();
    expect(writes).toEqual(['last words\n']);
    expect(stream.flushSync).toHaveBeenCalledTimes(1);
    batch.close();
    expect(process.listenerCount('exit')).toBe(before);
  });
});

describe(edgeLineWanted.name, () => {
  it("should leave out anonymous hits (200, 304) unless asked, and keep a user's hit and a refusal", () => {
    expect(edgeLineWanted(false, 200, undefined)).toBe(false);
    expect(edgeLineWanted(false, 304, undefined)).toBe(false);
    expect(edgeLineWanted(false, 200, 'user-1')).toBe(true);
    expect(edgeLineWanted(false, 429, undefined)).toBe(true);
    expect(edgeLineWanted(false, 500, undefined)).toBe(true);
    expect(edgeLineWanted(true, 200, undefined)).toBe(true);
  });
});
