import { isObject, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A JSON object (not an array) of at most `maxBytes` serialized bytes, without NUL characters
 * (PostgreSQL's jsonb rejects `\u0000`, which would otherwise be a 500). For jsonb DTO fields.
 */
export function IsJsonObject(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isJsonObject',
      constraints: [maxBytes],
      validator: {
        validate: (value: unknown) => {
          if (!isObject(value)) {
            return false;
          }
          const json = JSON.stringify(value);
          return Buffer.byteLength(json) <= maxBytes && !json.includes('\\u0000');
        },
        defaultMessage: () =>
          `$property must be a JSON object of at most ${maxBytes} bytes without NUL characters`,
      },
    },
    options,
  );
}
