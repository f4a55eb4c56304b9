import SonicBoom from 'sonic-boom';

/** Options of {@link LogDestination}. */
export interface LogDestinationOptions {
  /** File descriptor written to. @default 1 (stdout) */
  fd?: number;
  /** Bytes held while the reader is slow; past it new lines are dropped. */
  maxBufferedBytes: number;
  /** Bytes gathered before a write is started. */
  minWriteBytes: number;
  /** The longest gathered bytes wait for a write, in ms. */
  flushMs: number;
}

/**
 * A line's UTF-8 bytes in a buffer of their own size: `Buffer.from` would hand out a slice of an
 * 8 KiB pool slab, which a line held for a slow reader would keep alive whole.
 */
function bytesOf(line: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(line));
  bytes.write(line);
  return bytes;
}

/**
 * The process's log sink: one asynchronous, bounded writer on stdout (SonicBoom in buffer mode)
 * shared by pino's lines (strings, rare) and the access log's batches (bytes, one per ~250
 * requests). In buffer mode a batch is handed over as it is: SonicBoom's string mode measures
 * the UTF-8 length of its pending text on every write and encodes it again for `fs.write`, which
 * cost the cached `GET /agents?size=5` ~3 µs a request. A slow reader delays lines, never the event
 * loop; past `maxBufferedBytes` new lines are dropped. What is pending is written synchronously
 * when the process exits, and a closed reader (EPIPE) stops logging instead of throwing.
 */
export class LogDestination {
  private readonly boom: SonicBoom;
  private readonly onExit = (): void => this.flushSync();

  constructor(options: LogDestinationOptions) {
    this.boom = new SonicBoom({
      fd: options.fd ?? 1,
      sync: false,
      contentMode: 'buffer',
      maxLength: options.maxBufferedBytes,
      minLength: options.minWriteBytes,
      periodicFlush: options.flushMs,
    });
    this.boom.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        // The reader is gone: nothing more can be written, and logging must not crash the app.
        this.write = () => undefined;
        this.flushSync = () => undefined;
      }
    });
    process.once('exit', this.onExit);
  }

  /** A pino line (a string) or an access-log batch (bytes). */
  write(chunk: string | Buffer): void {
    // Buffer mode takes bytes (SonicBoom's typings know only its string mode).
    this.boom.write((typeof chunk === 'string' ? bytesOf(chunk) : chunk) as unknown as string);
  }

  /** Writes what is pending before returning (process exit). */
  flushSync(): void {
    try {
      this.boom.flushSync();
    } catch {
      // Still opening, already closed, or the reader is gone: nothing more can be written.
    }
  }

  /** Writes what is pending and releases the descriptor's writer (tests). */
  close(): void {
    process.removeListener('exit', this.onExit);
    this.flushSync();
    this.boom.end();
  }
}
