import { UsageError } from './cli';
import { parseTokenArgs } from './token-args';

const ID = '3F2B8C1E-9A4D-4E6F-8B7A-1C2D3E4F5A6B';
const newId = () => '11111111-2222-4333-8444-555555555555';

describe(parseTokenArgs.name, () => {
  it('should read sub, role and ttl, lower-casing the sub', () => {
    const args = parseTokenArgs(['--sub', ID, '--role', 'admin', '--ttl', '600'], newId);

    expect(args).toEqual({ help: false, sub: ID.toLowerCase(), role: 'admin', ttlSeconds: 600 });
  });

  it('should default to the user role and the configured ttl', () => {
    const args = parseTokenArgs([`--sub=${ID}`], newId);

    expect(args.role).toBe('user');
    expect(args.ttlSeconds).toBeUndefined();
  });

  it('should use a new id with --random-sub', () => {
    expect(parseTokenArgs(['--random-sub'], newId).sub).toBe(newId());
  });

  it.each([
    [[], /--sub <uuid> is required/],
    [['--sub', 'not-a-uuid'], /--sub must be a uuid/],
    [['--sub', ID, '--random-sub'], /either --sub or --random-sub/],
    [['--sub', ID, '--role', 'root'], /--role must be one of user, admin/],
    [['--sub', ID, '--ttl', '0'], /--ttl must be a whole number/],
    [['--sub', ID, '--ttl', '1.5'], /--ttl must be a whole number/],
    [['--sub', ID, '--bogus'], /bogus/],
    [['--sub', ID, 'extra'], /extra/],
  ])('should reject %j with a usage error', (argv, message) => {
    expect(() => parseTokenArgs(argv, newId)).toThrow(UsageError);
    expect(() => parseTokenArgs(argv, newId)).toThrow(message);
  });

  it('should return help without requiring a sub', () => {
    expect(parseTokenArgs(['--help'], newId).help).toBe(true);
  });
});
