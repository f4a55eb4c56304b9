import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Name and version from the nearest package.json above `from` (src/ or dist/ alike). */
export function readPackageInfo(from: string = __dirname): { name: string; version: string } {
  let dir = from;
  for (let depth = 0; depth < 6; depth += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      return { name: pkg.name ?? 'unknown', version: pkg.version ?? '0.0.0' };
    }
    dir = dirname(dir);
  }
  return { name: 'unknown', version: '0.0.0' };
}
