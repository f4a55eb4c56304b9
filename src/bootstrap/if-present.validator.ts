import { ValidateIf, ValidationOptions } from 'class-validator';

/**
 * Validates the field unless it is absent (`undefined`). Unlike `@IsOptional()`, `null` is still
 * validated, and fails the field's other rules: for body fields that may be left out but not
 * cleared (NOT NULL columns).
 *
 * @example
 * ```ts
 * @IfPresent()
 * @IsString()
 * @Length(1, 200)
 * name?: string;
 * ```
 */
export function IfPresent(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_dto: object, value: unknown) => value !== undefined, options);
}
