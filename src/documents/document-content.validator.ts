import { isString, ValidateBy, ValidationOptions } from 'class-validator';
import { DOCUMENT_CONTENT_MAX_BYTES } from './document.constants';

/**
 * Non-empty text of at most {@link DOCUMENT_CONTENT_MAX_BYTES} UTF-8 bytes, without NUL
 * characters (PostgreSQL's text type rejects them, which would otherwise be a 500).
 */
export function IsDocumentContent(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDocumentContent',
      validator: {
        validate: (value: unknown) =>
          isString(value) &&
          value.length > 0 &&
          Buffer.byteLength(value) <= DOCUMENT_CONTENT_MAX_BYTES &&
          !value.includes('\u0000'),
        defaultMessage: () =>
          `$property must be a non-empty string of at most ${DOCUMENT_CONTENT_MAX_BYTES} UTF-8 bytes without NUL characters`,
      },
    },
    options,
  );
}
