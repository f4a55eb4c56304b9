import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DeepImport, deepPlatformImports } from '../test/fixtures/app-teams/public-imports';

const ROOT = join(__dirname, '..');
/** Trees whose imports of `src/` must go through a module's index (bench/ has its own owner). */
const SCANNED = ['test', 'scripts'].map((dir) => join(ROOT, dir));

/**
 * Imports below a module's index that a test needs on purpose, each with why. Anything else
 * imports `src/<module>` (its index.ts) or `src/app.module`.
 */
const ALLOWED: Record<string, { specifiers: string[]; why: string }> = {
  'test/e2e/pagination/list-source.e2e-spec.ts': {
    specifiers: [
      '../../../src/pagination/pagination-links.interceptor',
      '../../../src/pagination/page-request.parser',
      '../../../src/tools/dto/tool-response.dto',
      '../../../src/tools/tool.entity',
      '../../../src/tools/tools.repository',
      '../../../src/tools/tools.pagination',
    ],
    why: "runs the entity path (query builder, DTO mapping, Link) beside the list source's SQL to compare their bytes",
  },
  'test/fixtures/caching/caching-app.ts': {
    specifiers: [
      '../../../src/caching/caching.constants',
      '../../../src/caching/engine/redis-l2',
      '../../../src/caching/engine/cache-engine',
    ],
    why: "exposes the cache's Redis clients, L2 and engine (L1 resets, stats) to the caching specs",
  },
  'test/fixtures/caching/redis-keys.ts': {
    specifiers: ['../../../src/caching/engine/cache-entry'],
    why: 'reads and plants cache entries in Redis in their wire format',
  },
  'test/e2e/caching/invalidation.e2e-spec.ts': {
    specifiers: ['../../../src/caching/engine/cache-entry'],
    why: 'writes an entry in the wire format to time cross-instance invalidation',
  },
  'test/e2e/redis/cluster.e2e-spec.ts': {
    specifiers: [
      '../../../src/rate-limit/fleet-counter',
      '../../../src/rate-limit/rate-limit.constants',
    ],
    why: "syncs the rate limiter's counters, under its cluster key prefix, against a real Redis Cluster",
  },
  'test/e2e/documents/document-processing.e2e-spec.ts': {
    specifiers: [
      '../../../src/documents/document-processor',
      '../../../src/documents/documents.repository',
    ],
    why: "injects an edit between the processor's read and write (no HTTP route can time it)",
  },
  'test/e2e/documents/document-processing-failures.e2e-spec.ts': {
    specifiers: [
      '../../../src/documents/document.constants',
      '../../../src/documents/document-processor',
      '../../../src/documents/documents.repository',
    ],
    why: "makes the processor's write fail and reads its queue to check Bull's retries",
  },
  'scripts/seed-rows.ts': {
    specifiers: ['../src/agents/agents.constants'],
    why: "one constant; the agents index loads the app's module graph (+5 s per seed run and spec)",
  },
};

/** Deep imports in `roots` that the allow-list does not name. */
function unexpected(roots: string[]): DeepImport[] {
  return deepPlatformImports(roots).filter(
    ({ file, specifier }) => !ALLOWED[file]?.specifiers.includes(specifier),
  );
}

describe('imports of src/ from test/ and scripts/', () => {
  it('should go through module indexes, except the allow-listed ones', () => {
    expect(unexpected(SCANNED)).toEqual([]);
  });

  it('should list only deep imports that still exist', () => {
    const found = deepPlatformImports(SCANNED);
    const stale = Object.entries(ALLOWED).flatMap(([file, { specifiers }]) =>
      specifiers
        .filter((specifier) => !found.some((d) => d.file === file && d.specifier === specifier))
        .map((specifier) => ({ file, specifier })),
    );

    expect(stale).toEqual([]);
  });

  it('should flag a file that imports below an index, and not its index import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'test-imports-'));
    try {
      const src = relative(dir, join(ROOT, 'src'));
      // Built, not written out: this file is scanned by the first test.
      const deep = [src, 'caching', 'engine', 'cache-engine'].join('/');
      writeFileSync(
        join(dir, 'violation.e2e-spec.ts'),
        `import { CacheEngine } from '${deep}';\nimport { CachingModule } from '${src}/caching';\n`,
      );

      const found = unexpected([dir]);

      expect(found).toEqual([
        { file: expect.stringMatching(/violation\.e2e-spec\.ts$/), specifier: deep },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
