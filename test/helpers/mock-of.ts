/**
 * Names that Jest, Promises and Node probe on any object (`await x` reads `then`, `expect`
 * reads `asymmetricMatch`, printing reads `toJSON`...): they stay undefined instead of
 * becoming members.
 */
const PROBED = new Set([
  'then',
  'asymmetricMatch',
  'toJSON',
  'nodeType',
  '$$typeof',
  'constructor',
]);

/**
 * A strict auto-mock of `T` for unit specs, typed as `jest.Mocked<T>` without a cast.
 *
 * Members passed in `overrides` are used as they are. Every other member is a `jest.fn()`
 * made on first access, whose default implementation throws an error naming it: a call the
 * arrange block did not foresee fails loudly instead of returning `undefined`. Stub it later
 * with `mock.member.mockResolvedValue(...)`, or assert it was not called.
 *
 * @example
 * ```ts
 * const repository = mockOf<UsersRepository>({ findById: jest.fn().mockResolvedValue(user) });
 * const service = new UsersService(repository);
 * ```
 */
export function mockOf<T extends object>(overrides: Partial<jest.Mocked<T>> = {}): jest.Mocked<T> {
  const members: Record<PropertyKey, unknown> = { ...overrides };
  return new Proxy(members, {
    get(target, property) {
      if (property in target) {
        return target[property];
      }
      if (typeof property === 'symbol' || PROBED.has(property)) {
        return undefined;
      }
      const unstubbed = jest.fn((): never => {
        throw new Error(`mockOf: ${property}() was called but not stubbed; pass it in overrides`);
      });
      target[property] = unstubbed;
      return unstubbed;
    },
  }) as jest.Mocked<T>;
}
