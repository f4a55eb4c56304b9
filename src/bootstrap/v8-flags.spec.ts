import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceEnv, validateEnv } from '../config';
import { applyV8Flags, NO_PRETENURING_FLAG } from './v8-flags';

describe('applyV8Flags', () => {
  const run = (env: NodeJS.ProcessEnv, execArgv: string[] = []) => {
    const set: string[] = [];
    const applied = applyV8Flags(env, execArgv, (flags) => set.push(flags));
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

  // Import sorting must not move it: flags set after other modules ran miss their allocation sites.
  it.each(['main.ts', 'worker.ts'])('%s imports the V8 defaults before anything else', (entry) => {
    const source = readFileSync(join(__dirname, '..', entry), 'utf8');
    const firstImport = source.split('\n').find((line) => line.startsWith('import '));
    expect(firstImport).toBe("import './v8-defaults';");
  });
});
