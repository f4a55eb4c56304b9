import { chunkText, documentStats } from './document-chunker';

describe(chunkText.name, () => {
  it('should keep chunks near the size, cut at sentence ends, and overlap', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog. ';
    const text = sentence.repeat(100); // 4,500 chars

    const chunks = chunkText(text, { size: 1000, overlap: 100 });

    expect(chunks.length).toBeGreaterThanOrEqual(5);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeLessThanOrEqual(1000);
      expect(chunk.length).toBeGreaterThan(500);
      expect(chunk.endsWith('.')).toBe(true);
    }
    // The next chunk starts inside the last 100 characters of the previous one.
    expect(chunks[0].slice(-100)).toContain(chunks[1].slice(0, 20));
  });

  it('should prefer paragraph breaks and cut hard only without any whitespace', () => {
    const text = `${'a'.repeat(700)}\n\n${'b'.repeat(700)}`;
    expect(chunkText(text, { size: 1000, overlap: 0 })[0]).toBe('a'.repeat(700));
    expect(chunkText('x'.repeat(2500), { size: 1000, overlap: 0 })).toHaveLength(3);
  });
});

describe(documentStats.name, () => {
  it('should count chars, words, sentences, paragraphs and the average chunk size', () => {
    const text = 'One two. Three four!\n\nFive?';
    expect(documentStats(text, ['abcd', 'ef'])).toEqual({
      chars: text.length,
      words: 5,
      sentences: 3,
      paragraphs: 2,
      chunks: 2,
      avg_chunk_chars: 3,
    });
  });
});
