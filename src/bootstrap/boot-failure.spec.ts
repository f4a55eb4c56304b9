import { describeBootError } from './boot-failure';

describe(describeBootError.name, () => {
  it('should print an Error with its stack and cause', () => {
    const text = describeBootError(new Error('outer', { cause: new Error('inner') }));
    expect(text).toContain('Error: outer');
    expect(text).toContain('inner');
  });

  it('should say when the thrown value is not an Error', () => {
    expect(describeBootError(undefined)).toBe(
      'undefined (a non-Error value was thrown; the log above may say more)',
    );
  });
});
