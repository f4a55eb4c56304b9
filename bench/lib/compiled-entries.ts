import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SERVER_ENTRIES } from '../fixtures/entries';

const ROOT = join(__dirname, '..', '..');
/** Where the servers are compiled to (git-ignored), the repository's layout under it. */
export const COMPILED_DIR = join(ROOT, 'dist-bench');

let compiled = false;

/**
 * Compiles every server the benches spawn (R, the fixtures, `src/main.ts`) with `tsc`, once per
 * bench run, so each runs as plain JavaScript like `npm start` runs the app: no ts-node in the
 * process (its loader holds every file's source map and loads `domain`, which slows every
 * EventEmitter), the same for R and for what is compared with it.
 */
export function compileServers(): void {
  if (compiled) {
    return;
  }
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  mkdirSync(COMPILED_DIR, { recursive: true });
  const project = join(COMPILED_DIR, 'tsconfig.json');
  writeFileSync(
    project,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: {
        outDir: COMPILED_DIR,
        rootDir: ROOT,
        incremental: false,
        sourceMap: false,
        types: ['node'],
      },
      include: [],
      files: Object.values(SERVER_ENTRIES),
    }),
  );
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  compiled = true;
}

/** The compiled JavaScript of a server entry (`.ts` under the repository). */
export function compiledEntry(entry: string): string {
  compileServers();
  return join(COMPILED_DIR, relative(ROOT, entry)).replace(/\.ts$/, '.js');
}
