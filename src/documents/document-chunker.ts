/** Options of {@link chunkText}. */
export interface ChunkOptions {
  /** Target chunk size in characters. */
  size: number;
  /** Characters repeated at the start of the next chunk. */
  overlap: number;
}

/** Statistics stored with a processed document. */
export interface DocumentStats {
  chars: number;
  words: number;
  sentences: number;
  paragraphs: number;
  chunks: number;
  avg_chunk_chars: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { size: 1000, overlap: 100 };

/**
 * Splits text into chunks of about `size` characters, cutting at the last paragraph break,
 * else sentence end, else space inside the window (a hard cut only when there is none), each
 * chunk starting `overlap` characters before the previous one ended.
 */
export function chunkText(text: string, options: ChunkOptions = DEFAULT_CHUNKING): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + options.size);
    if (end < text.length) {
      end = boundaryBefore(text, start, end);
    }
    const chunk = text.slice(start, end).trim();
    if (chunk.length > 0) {
      chunks.push(chunk);
    }
    if (end >= text.length) {
      break;
    }
    start = Math.max(end - options.overlap, start + 1);
  }
  return chunks;
}

function boundaryBefore(text: string, start: number, end: number): number {
  const window = text.slice(start, end);
  const minimum = Math.floor(window.length / 2); // never cut a chunk to less than half
  for (const pattern of [/\n\s*\n/g, /[.!?]\s/g, /\s/g]) {
    let last = -1;
    for (const match of window.matchAll(pattern)) {
      last = match.index + match[0].length;
    }
    if (last >= minimum) {
      return start + last;
    }
  }
  return end;
}

/** Counts of the text and its chunks. */
export function documentStats(text: string, chunks: readonly string[]): DocumentStats {
  const words = text.match(/\S+/g)?.length ?? 0;
  const sentences = text.match(/[^.!?]+[.!?]+(\s|$)/g)?.length ?? (text.trim() ? 1 : 0);
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim().length > 0).length;
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  return {
    chars: text.length,
    words,
    sentences,
    paragraphs,
    chunks: chunks.length,
    avg_chunk_chars: chunks.length ? Math.round(total / chunks.length) : 0,
  };
}
