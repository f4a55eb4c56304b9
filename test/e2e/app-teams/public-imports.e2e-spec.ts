import { join, resolve } from 'node:path';
import {
  deepPlatformImports,
  isPublicPlatformPath,
  relativeSpecifiers,
} from '../../fixtures/app-teams/public-imports';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('app-teams scenario imports', () => {
  it('should reach the platform only through module indexes, transitively', () => {
    const found = deepPlatformImports([
      join(ROOT, 'test/fixtures/app-teams'),
      join(ROOT, 'test/e2e/app-teams'),
    ]);

    expect(found).toEqual([]);
  });

  it('should flag a path below an index and accept an index or the composition root', () => {
    // Built, not written out: this file is scanned by the test above.
    const deep = ['../../../src', 'caching', 'engine', 'cache-engine'].join('/');
    const source = [
      `import { CacheEngine } from '${deep}';`,
      "import type { Page } from '../../../src/pagination';",
      "const lazy = import('./local');",
    ].join('\n');

    expect(relativeSpecifiers(source)).toEqual([deep, '../../../src/pagination', './local']);
    expect(isPublicPlatformPath(join(ROOT, 'src/caching/engine/cache-engine'))).toBe(false);
    expect(isPublicPlatformPath(join(ROOT, 'src/caching/caching.constants'))).toBe(false);
    expect(isPublicPlatformPath(join(ROOT, 'src/caching'))).toBe(true);
    expect(isPublicPlatformPath(join(ROOT, 'src/app.module'))).toBe(true);
  });
});
