import { AsyncLocalStorage, AsyncResource, createHook } from 'node:async_hooks';
import { installFastAsyncResourceBind } from './async-resource-bind';

describe('installFastAsyncResourceBind', () => {
  // Kept only to put it back.
  const original = AsyncResource.bind;

  afterEach(() => {
    Object.defineProperty(AsyncResource, 'bind', {
      value: original,
      writable: true,
      configurable: true,
    });
  });

  it('should replace the static bind on Node before 24, once', () => {
    expect(installFastAsyncResourceBind('20.20.2')).toBe(true);
    expect(Reflect.get(AsyncResource, 'bind')).not.toBe(original);
    expect(installFastAsyncResourceBind('20.20.2')).toBe(false);
  });

  it('should leave Node 24 and later alone', () => {
    expect(installFastAsyncResourceBind('24.9.0')).toBe(false);
    expect(Reflect.get(AsyncResource, 'bind')).toBe(original);
  });

  it('should run the function in the context it was bound in, as Node does', () => {
    installFastAsyncResourceBind('20.20.2');
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('bound here', () => AsyncResource.bind(() => storage.getStore()));

    const seen = storage.run('called here', () => bound());

    expect(seen).toBe('bound here');
  });

  it("should pass the arguments and the return value, with the caller's this or thisArg", () => {
    installFastAsyncResourceBind('20.20.2');
    function describeCall(this: unknown, a: number, b: number): string {
      return `${(this as { name?: string } | undefined)?.name ?? 'none'}:${a + b}`;
    }
    const withCallerThis = AsyncResource.bind(describeCall);
    const withThisArg = AsyncResource.bind(describeCall, 'test', { name: 'fixed' });

    expect(withCallerThis.call({ name: 'caller' }, 1, 2)).toBe('caller:3');
    expect(withThisArg.call({ name: 'caller' }, 3, 4)).toBe('fixed:7');
  });

  it('should create one async resource per bind, named by type, else the function name', () => {
    installFastAsyncResourceBind('20.20.2');
    const types: string[] = [];
    const hook = createHook({
      init: (_id, type) => {
        if (type === 'named-type' || type === 'namedFunction' || type === 'bound-anonymous-fn') {
          types.push(type);
        }
      },
    }).enable();
    try {
      AsyncResource.bind(() => 1, 'named-type');
      AsyncResource.bind(function namedFunction() {
        return 2;
      });
      AsyncResource.bind(
        (
          () => () =>
            3
        )(),
      );
    } finally {
      hook.disable();
    }

    expect(types).toEqual(['named-type', 'namedFunction', 'bound-anonymous-fn']);
  });

  it('should propagate an error thrown by the function', () => {
    installFastAsyncResourceBind('20.20.2');
    const bound = AsyncResource.bind(() => {
      throw new Error('inner');
    });

    expect(() => bound()).toThrow('inner');
  });
});
