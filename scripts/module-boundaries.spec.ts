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
const files = JSON.parse(process.argv[2]);
const eslint = new ESLint({
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});
Promise.all([
  ...cases.map(([file, specifier]) =>
    eslint.lintText("import { x } from '" + specifier + "';\\nexport { x };\\n", { filePath: join(process.cwd(), file) }),
  ),
  eslint.lintFiles(files),
]).then((results) => {
  const tree = results.pop().flatMap((r) => r.messages.map(({ message }) => r.filePath + ': ' + message));
  const messages = results.map(([r]) => r.messages.map(({ ruleId, message }) => ({ ruleId, message })));
  process.stdout.write(JSON.stringify({ messages, tree }));
});
`;

/** Lints each case's import line, and the real files matching `files` (their messages as text). */
function lintImports(cases: Case[], files: string[]): { messages: Message[][]; tree: string[] } {
  const output = execFileSync(
    process.execPath,
    ['-e', LINT_SCRIPT, JSON.stringify(cases), JSON.stringify(files)],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(output) as { messages: Message[][]; tree: string[] };
}

const REJECTED: Case[] = [
  ['src/agents/dto/x.ts', '../../caching/engine/x'],
  ['src/monitoring/health/x.ts', '../../redis/redis.providers'],
  ['src/agents/x.ts', '../caching/engine/x'],
  ['src/agents/x.ts', '../compute/heavy-computation'],
];
/** Monitoring imports no platform module (issue 13): each registers its own contribution. */
const UPWARD: Case[] = [
  ['src/monitoring/health/x.ts', '../../persistence'],
  ['src/monitoring/x.ts', '../redis'],
  ['src/monitoring/metrics/x.ts', '../../caching'],
  ['src/monitoring/stats/x.ts', '../../queues'],
  ['src/monitoring/x.ts', '../resilience'],
  ['src/monitoring/health/readiness.spec.ts', '../../persistence'],
];
const ACCEPTED: Case[] = [
  ['src/agents/dto/x.ts', '../../caching'],
  ['src/agents/x.ts', '../caching'],
  ['src/queues/telemetry/x.ts', '../queue.registry'],
  ['src/caching/http/x.ts', '../engine/cache-engine'],
  ['src/persistence/x.ts', '../monitoring'],
  ['src/monitoring/health/x.ts', '../../auth'],
  ['src/monitoring/x.ts', '../config'],
];

describe('module boundaries (eslint.config.mjs)', () => {
  let rejected: Message[][];
  let upward: Message[][];
  let accepted: Message[][];
  let monitoringTree: string[];

  beforeAll(() => {
    // One ESLint process for every case: loading the config costs about a second.
    const { messages, tree } = lintImports(
      [...REJECTED, ...UPWARD, ...ACCEPTED],
      ['src/monitoring/**/*.ts'],
    );
    rejected = messages.slice(0, REJECTED.length);
    upward = messages.slice(REJECTED.length, REJECTED.length + UPWARD.length);
    accepted = messages.slice(REJECTED.length + UPWARD.length);
    monitoringTree = tree;
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

  it.each(UPWARD.map((c, i) => [...c, i] as const))(
    'should reject %s importing the platform module %s',
    (_file, _specifier, index) => {
      expect(upward[index]).toEqual([
        {
          ruleId: 'no-restricted-imports',
          message: expect.stringContaining('Monitoring imports no platform module') as string,
        },
      ]);
    },
  );

  it("should find no import of a platform module, nor of a module's internals, in src/monitoring", () => {
    expect(monitoringTree).toEqual([]);
  });

  it.each(ACCEPTED.map((c, i) => [...c, i] as const))(
    'should accept %s importing %s',
    (_file, _specifier, index) => {
      expect(accepted[index]).toEqual([]);
    },
  );
});
