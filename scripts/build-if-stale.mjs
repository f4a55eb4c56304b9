// `npm start`'s build step: runs `nest build` only when the build is missing or older than a
// source or build setting, so a second start does not spend ~30-50 s rebuilding the same code.
// Plain JavaScript on purpose: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = join('dist', '.build-stamp');
const INPUTS = ['src', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

/** Newest modification time under `path` (a file, or a directory walked recursively). */
function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = stat.mtimeMs; // a deleted or renamed file changes its directory's mtime
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const stampTime = existsSync(STAMP) && existsSync(join('dist', 'main.js')) ? statSync(STAMP).mtimeMs : 0;
const sourceTime = Math.max(...INPUTS.filter((input) => existsSync(input)).map(newestMtime));
if (stampTime > sourceTime) {
  process.stdout.write('dist/ is up to date with src/: skipping the build\n');
} else {
  const started = Date.now();
  const build = spawnSync('npx', ['nest', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) {
    process.exit(build.status ?? 1);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  process.stdout.write(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
