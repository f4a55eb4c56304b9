import { IsString, validateSync } from 'class-validator';
import { IfPresent } from './if-present.validator';

class Body {
  @IfPresent()
  @IsString()
  name?: unknown;
}

function errorsOf(value: Partial<Body>): string[] {
  return validateSync(Object.assign(new Body(), value)).map((error) => error.property);
}

describe(IfPresent.name, () => {
  it('should skip the rules of an absent field', () => {
    expect(errorsOf({})).toEqual([]);
  });

  it('should validate null, unlike @IsOptional()', () => {
    expect(errorsOf({ name: null })).toEqual(['name']);
  });

  it('should validate a present value', () => {
    expect(errorsOf({ name: 'ok' })).toEqual([]);
    expect(errorsOf({ name: 42 })).toEqual(['name']);
  });
});
