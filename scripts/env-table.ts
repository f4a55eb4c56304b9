import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Prints the README's configuration table from the env classes in src/**/*.config.ts:
// every key, its default and its JSDoc. Run: npx ts-node --transpile-only scripts/env-table.ts
const ROOT = join(__dirname, '..');

function configFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return configFiles(path);
    }
    return name.endsWith('.config.ts') ? [path] : [];
  });
}

const PROPERTY =
  /\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*((?:@[\s\S]*?\)\s*)+)([A-Z][A-Z0-9_]+)(\?)?(?::[^=;]+)?(?:\s*=\s*([^;]+))?;/g;

const rows: string[] = ['| Key | Default | Effect | Module |', '| --- | --- | --- | --- |'];
for (const file of configFiles(join(ROOT, 'src')).sort()) {
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(PROPERTY)) {
    const [, doc, , key, optional, value] = match;
    const text = doc
      .split('\n')
      .map((line) => line.replace(/^\s*\*\s?/, '').trim())
      .filter(Boolean)
      .join(' ');
    const fallback =
      value === undefined
        ? optional
          ? 'unset'
          : '**required**'
        : `\`${value.trim().replace(/^'|'$/g, '')}\``;
    rows.push(
      `| \`${key}\` | ${fallback} | ${text.replace(/\|/g, '\\|')} | ${relative(join(ROOT, 'src'), file).split('/')[0]} |`,
    );
  }
}
process.stdout.write(`${rows.join('\n')}\n`);
