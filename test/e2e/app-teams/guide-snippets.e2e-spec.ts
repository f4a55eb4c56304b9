import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const GUIDE = 'docs/app-teams.md';

/** A `ts` block of the guide and the file its preceding "From `path`:" line names. */
interface Snippet {
  source: string | undefined;
  code: string;
  line: number;
}

/** Lines without their indentation: Prettier re-indents code blocks in Markdown. */
const unindented = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .join('\n');

/** The guide's `ts` blocks; a heading ends the reach of a "From" line. */
function snippetsOf(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  let source: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const from = /^From `([^`]+)`:$/.exec(lines[i]);
    if (from) {
      source = from[1];
    } else if (lines[i].startsWith('#')) {
      source = undefined;
    } else if (lines[i] === '```ts') {
      const end = lines.indexOf('```', i + 1);
      snippets.push({ source, code: lines.slice(i + 1, end).join('\n'), line: i + 1 });
      i = end;
    }
  }
  return snippets;
}

describe('docs/app-teams.md', () => {
  const snippets = snippetsOf(readFileSync(join(ROOT, GUIDE), 'utf8'));

  it('should quote code', () => {
    expect(snippets.length).toBeGreaterThan(10);
  });

  it('should quote every ts snippet verbatim (but for indentation) from the file it names', () => {
    const quotes = (source: string, code: string) =>
      unindented(readFileSync(join(ROOT, source), 'utf8')).includes(unindented(code));
    const drifted = snippets
      .filter(({ source, code }) => !source || !quotes(source, code))
      .map(({ source, line }) => `${GUIDE}:${line} (${source ?? 'no "From" line'})`);

    expect(drifted).toEqual([]);
  });
});
