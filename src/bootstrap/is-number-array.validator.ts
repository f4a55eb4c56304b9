import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * An array of finite numbers within [min, max], checked in one loop. Replaces
 * `@IsNumber({}, { each: true }) @Min(min, { each: true }) @Max(max, { each: true })` on large
 * arrays: class-validator runs each of those per element through its generic machinery
 * (~3 µs per element and rule), so 100,000 numbers cost ~0.3 s of blocked event loop; this
 * costs ~1 ms. The message names the first bad index.
 *
 * @example
 * ```ts
 * @ArrayMaxSize(100_000)
 * @IsNumberArray(-1e7, 1e7)
 * numbers: number[];
 * ```
 */
export function IsNumberArray(
  min: number,
  max: number,
  options?: ValidationOptions,
): PropertyDecorator {
  let firstBad = -1;
  return ValidateBy(
    {
      name: 'isNumberArray',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          firstBad = -1;
          if (!Array.isArray(value)) {
            return false;
          }
          for (let index = 0; index < value.length; index += 1) {
            const item: unknown = value[index];
            if (typeof item !== 'number' || !Number.isFinite(item) || item < min || item > max) {
              firstBad = index;
              return false;
            }
          }
          return true;
        },
        defaultMessage: () =>
          firstBad === -1
            ? `$property must be an array of finite numbers within [${min}, ${max}]`
            : `$property.${firstBad} must be a finite number within [${min}, ${max}]`,
      },
    },
    options,
  );
}
