import { isObject, ValidateBy, ValidationOptions } from 'class-validator';

/** Largest template `config`, in bytes of its JSON serialization. */
export const TEMPLATE_CONFIG_MAX_BYTES = 64 * 1024;

/**
 * A JSON object (not an array) of at most {@link TEMPLATE_CONFIG_MAX_BYTES} serialized bytes,
 * without NUL characters (PostgreSQL's jsonb rejects `\u0000`, which would otherwise be a 500).
 */
export function IsTemplateConfig(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTemplateConfig',
      validator: {
        validate: (value: unknown) => {
          if (!isObject(value)) {
            return false;
          }
          const json = JSON.stringify(value);
          return Buffer.byteLength(json) <= TEMPLATE_CONFIG_MAX_BYTES && !json.includes('\\u0000');
        },
        defaultMessage: () =>
          `$property must be a JSON object of at most ${TEMPLATE_CONFIG_MAX_BYTES} bytes without NUL characters`,
      },
    },
    options,
  );
}
