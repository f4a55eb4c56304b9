import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PARALLEL_SCAVENGE_MODES, PerformanceEnv, validateEnv } from '../config';
import {
  applyV8Flags,
  cgroupQuota,
  cpuBudget,
  NO_PARALLEL_SCAVENGE_FLAG,
  NO_PRETENURING_FLAG,
} from './v8-flags';

describe('applyV8Flags', () => {
  // Two CPUs unless a test says otherwise: the pretenuring tests see that flag alone.
  const run = (env: NodeJS.ProcessEnv, execArgv: string[] = [], cpus = 2) => {
    const set: string[] = [];
    const applied = applyV8Flags(env, {
      execArgv,
      setFlags: (flags) => set.push(flags),
      cpus: () => cpus,
    });
    return { applied, set };
  };

  it('turns allocation-site pretenuring off by default', () => {
    expect(run({})).toEqual({ applied: [NO_PRETENURING_FLAG], set: [NO_PRETENURING_FLAG] });
    expect(run({ PERFORMANCE__V8_PRETENURING: 'false' }).set).toEqual([NO_PRETENURING_FLAG]);
  });

  it.each(['true', 'TRUE', '1', 'yes'])(
    'keeps V8 default with PERFORMANCE__V8_PRETENURING=%s',
    (value) => {
      expect(run({ PERFORMANCE__V8_PRETENURING: value })).toEqual({ applied: [], set: [] });
    },
  );

  // The flag is set before the config exists: both must read the key the same way.
  it.each(['true', 'Yes', '1', 'false', 'NO', '0', ''])(
    'agrees with the validated config for PERFORMANCE__V8_PRETENURING=%p',
    (value) => {
      const env = { PERFORMANCE__V8_PRETENURING: value };
      const wanted = validateEnv(PerformanceEnv, env).PERFORMANCE__V8_PRETENURING;
      expect(run(env).applied).toEqual(wanted ? [] : [NO_PRETENURING_FLAG]);
    },
  );

  it('fails boot on a value that is not a boolean, naming the key', () => {
    expect(() => validateEnv(PerformanceEnv, { PERFORMANCE__V8_PRETENURING: 'maybe' })).toThrow(
      /PERFORMANCE__V8_PRETENURING/,
    );
  });

  it("leaves the flag to node's command line when the operator set it there", () => {
    expect(run({}, ['--allocation-site-pretenuring']).set).toEqual([]);
    expect(run({}, ['--no-allocation-site-pretenuring']).set).toEqual([]);
  });

  it('turns parallel scavenges off when the process may use one CPU only, by default', () => {
    expect(run({}, [], 1).set).toEqual([NO_PRETENURING_FLAG, NO_PARALLEL_SCAVENGE_FLAG]);
    expect(run({}, [], 1.5).set).toEqual([NO_PRETENURING_FLAG, NO_PARALLEL_SCAVENGE_FLAG]);
    expect(run({}, [], 2).set).toEqual([NO_PRETENURING_FLAG]);
    expect(run({ PERFORMANCE__V8_PARALLEL_SCAVENGE: 'auto' }, [], 1).set).toContain(
      NO_PARALLEL_SCAVENGE_FLAG,
    );
  });

  it('follows PERFORMANCE__V8_PARALLEL_SCAVENGE=true|false whatever the CPUs', () => {
    const flagged = (value: string, cpus: number) =>
      run({ PERFORMANCE__V8_PARALLEL_SCAVENGE: value }, [], cpus).set.includes(
        NO_PARALLEL_SCAVENGE_FLAG,
      );
    expect([flagged('true', 1), flagged('true', 8)]).toEqual([false, false]);
    expect([flagged('false', 1), flagged('false', 8)]).toEqual([true, true]);
  });

  it.each([...PARALLEL_SCAVENGE_MODES, ''])(
    'agrees with the validated config for PERFORMANCE__V8_PARALLEL_SCAVENGE=%p',
    (value) => {
      const env = { PERFORMANCE__V8_PARALLEL_SCAVENGE: value };
      const mode = validateEnv(PerformanceEnv, env).PERFORMANCE__V8_PARALLEL_SCAVENGE;
      for (const cpus of [1, 4]) {
        const off = mode === 'false' || (mode === 'auto' && cpus < 2);
        expect(run(env, [], cpus).set.includes(NO_PARALLEL_SCAVENGE_FLAG)).toBe(off);
      }
    },
  );

  it('fails boot on a parallel scavenge mode it does not know, naming the key', () => {
    expect(() => validateEnv(PerformanceEnv, { PERFORMANCE__V8_PARALLEL_SCAVENGE: 'on' })).toThrow(
      /PERFORMANCE__V8_PARALLEL_SCAVENGE/,
    );
  });

  it.each(['--parallel-scavenge', '--no-parallel-scavenge', '--single-threaded-gc'])(
    "leaves scavenging to node's command line with %s",
    (flag) => {
      expect(run({}, [flag], 1).set).not.toContain(NO_PARALLEL_SCAVENGE_FLAG);
    },
  );

  // Import sorting must not move it: flags set after other modules ran miss their allocation sites.
  it.each(['main.ts', 'worker.ts'])('%s imports the V8 defaults before anything else', (entry) => {
    const source = readFileSync(join(__dirname, '..', entry), 'utf8');
    const firstImport = source.split('\n').find((line) => line.startsWith('import '));
    expect(firstImport).toBe("import './v8-defaults';");
  });
});

describe('cpuBudget', () => {
  const files =
    (contents: Record<string, string>) =>
    (path: string): string | undefined =>
      contents[path];

  it('reads the cgroup v2 quota, and none from `max`', () => {
    expect(cgroupQuota(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(1.5);
    expect(cgroupQuota(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }))).toBeUndefined();
  });

  it('reads the cgroup v1 quota, and none from -1', () => {
    const v1 = (quota: string) =>
      files({
        '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': `${quota}\n`,
        '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
      });
    expect(cgroupQuota(v1('50000'))).toBe(0.5);
    expect(cgroupQuota(v1('-1'))).toBeUndefined();
    expect(cgroupQuota(files({}))).toBeUndefined();
  });

  // The real reading in a real process: `taskset -c 0` is what the benches do to the servers.
  it('finds one CPU in a process pinned to one core, and turns parallel scavenges off there', () => {
    const script = [
      "const { applyV8Flags, cpuBudget } = require('./src/bootstrap/v8-flags');",
      'const flags = applyV8Flags({}, { setFlags: () => undefined });',
      'process.stdout.write(JSON.stringify({ cpus: cpuBudget(), flags }));',
    ].join('\n');
    const output = execFileSync(
      'taskset',
      ['-c', '0', process.execPath, '-r', 'ts-node/register/transpile-only', '-e', script],
      { cwd: join(__dirname, '..', '..'), encoding: 'utf8' },
    );
    expect(JSON.parse(output)).toEqual({
      cpus: 1,
      flags: [NO_PRETENURING_FLAG, NO_PARALLEL_SCAVENGE_FLAG],
    });
  });

  it("is the affinity's CPUs, or fewer under a quota", () => {
    const affinity = cpuBudget(files({}));
    expect(affinity).toBeGreaterThanOrEqual(1);
    expect(cpuBudget(files({ '/sys/fs/cgroup/cpu.max': '50000 100000' }))).toBe(
      Math.min(affinity, 0.5),
    );
  });
});
