import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

type Case = [file: string, specifier: string];
interface Message {
  ruleId: string | null;
  message: string;
}

const ROOT = join(__dirname, '..');

/**
 * ESLint's Node API in a child Node process: it loads `eslint.config.mjs` with a dynamic
 * `import()`, which Jest's module sandbox refuses without `--experimental-vm-modules`. Only the
 * boundary rule runs, without type information (the config's regex is the subject).
 */
const LINT_SCRIPT = `
const { ESLint } = require('eslint');
const { join } = require('node:path');
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint({
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});
Promise.all(
  cases.map(([file, specifier]) =>
    eslint.lintText("import { x } from '" + specifier + "';\\nexport { x };\\n", { filePath: join(process.cwd(), file) }),
  ),
).then((results) => {
  const messages = results.map(([r]) => r.messages.map(({ ruleId, message }) => ({ ruleId, message })));
  process.stdout.write(JSON.stringify(messages));
});
`;

function lintImports(cases: Case[]): Message[][] {
  const output = execFileSync(process.execPath, ['-e', LINT_SCRIPT, JSON.stringify(cases)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(output) as Message[][];
}

const REJECTED: Case[] = [
  ['src/agents/dto/x.ts', '../../caching/engine/x'],
  ['src/monitoring/health/x.ts', '../../redis/redis.providers'],
  ['src/agents/x.ts', '../caching/engine/x'],
  ['src/agents/x.ts', '../compute/heavy-computation'],
];
const ACCEPTED: Case[] = [
  ['src/agents/dto/x.ts', '../../caching'],
  ['src/agents/x.ts', '../caching'],
  ['src/queues/telemetry/x.ts', '../queue.registry'],
  ['src/caching/http/x.ts', '../engine/cache-engine'],
];

describe('module boundaries (eslint.config.mjs)', () => {
  let rejected: Message[][];
  let accepted: Message[][];

  beforeAll(() => {
    // One ESLint process for every case: loading the config costs about a second.
    const messages = lintImports([...REJECTED, ...ACCEPTED]);
    rejected = messages.slice(0, REJECTED.length);
    accepted = messages.slice(REJECTED.length);
  }, 30_000);

  it.each(REJECTED.map((c, i) => [...c, i] as const))(
    'should reject %s importing %s',
    (_file, _specifier, index) => {
      expect(rejected[index]).toEqual([
        {
          ruleId: 'no-restricted-imports',
          message: expect.stringContaining('only through its index') as string,
        },
      ]);
    },
  );

  it.each(ACCEPTED.map((c, i) => [...c, i] as const))(
    'should accept %s importing %s',
    (_file, _specifier, index) => {
      expect(accepted[index]).toEqual([]);
    },
  );
});
