import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogDestination } from './log-destination';

describe('LogDestination', () => {
  let dir: string;
  let path: string;
  let fd: number;
  let destination: LogDestination | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-destination-'));
    path = join(dir, 'out.log');
    fd = openSync(path, 'a');
  });

  /** A destination on the temp file that writes nothing before 4 KiB gather (or a flush). */
  const open = (maxBufferedBytes = 1024 * 1024) =>
    new LogDestination({ fd, maxBufferedBytes, minWriteBytes: 4096, flushMs: 60_000 });

  afterEach(() => {
    destination?.close();
    destination = undefined;
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("should write pino's lines and the access log's byte batches in the order given", () => {
    destination = open();
    destination.write('{"msg":"first"}\n');
    destination.write(Buffer.from('{"msg":"batch é"}\n{"msg":"batch 2"}\n'));
    destination.write('{"msg":"last"}\n');
    destination.flushSync();

    expect(readFileSync(path, 'utf8')).toBe(
      '{"msg":"first"}\n{"msg":"batch é"}\n{"msg":"batch 2"}\n{"msg":"last"}\n',
    );
  });

  it('should hold a pino line in bytes of its own size while the reader is slow', () => {
    destination = open();
    const held: Buffer[] = [];
    const boom = (destination as unknown as { boom: { write(chunk: Buffer): boolean } }).boom;
    const write = boom.write.bind(boom);
    boom.write = (chunk: Buffer) => (held.push(chunk), write(chunk));
    destination.write('{"msg":"small"}\n');

    expect(held[0].buffer.byteLength).toBe(held[0].length);
  });

  it('should drop what comes past its buffer bound while the reader is slow, never grow', () => {
    // Nothing is written before 4 KiB gather: everything here stays buffered.
    destination = open(64);
    const line = `${'x'.repeat(39)}\n`; // 40 bytes
    destination.write(line);
    destination.write(line); // 80 > 64: dropped
    destination.flushSync();

    expect(readFileSync(path, 'utf8')).toBe(line);
  });

  it('should write what is pending when the process exits', () => {
    destination = open();
    destination.write('{"msg":"at exit"}\n');
    expect(readFileSync(path, 'utf8')).toBe('');
    // Its own listener only: emitting 'exit' would run the test runner's too.
    const onExit = process.listeners('exit').at(-1) as () => void;
    onExit();

    expect(readFileSync(path, 'utf8')).toBe('{"msg":"at exit"}\n');
  });
});
