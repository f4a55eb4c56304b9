import { UsageError } from './cli';
import { parseSeedArgs } from './seed-args';

describe(parseSeedArgs.name, () => {
  it('should apply the defaults', () => {
    expect(parseSeedArgs([])).toEqual({
      help: false,
      agents: 100_000,
      tools: 50,
      linkTools: 0,
      reset: false,
    });
  });

  it('should read counts written with separators', () => {
    const args = parseSeedArgs([
      '--agents',
      '1_000_000',
      '--tools=1,000',
      '--link-tools',
      '5',
      '--reset',
    ]);

    expect(args).toMatchObject({ agents: 1_000_000, tools: 1000, linkTools: 5, reset: true });
  });

  it.each([
    [['--agents=-1'], /--agents must be a whole number/],
    [['--agents', '1e6'], /--agents must be a whole number/],
    [['--tools', 'many'], /--tools must be a whole number/],
    [['--tools', '3', '--link-tools', '4'], /--link-tools cannot exceed --tools/],
    [['--agent', '10'], /agent/],
  ])('should reject %j with a usage error', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(UsageError);
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });
});
