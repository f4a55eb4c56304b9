import { isObject, ValidateBy, ValidationOptions } from 'class-validator';
import { WORKFLOW_DEFINITION_MAX_BYTES } from './workflow.constants';

/**
 * A JSON object (not an array) of at most {@link WORKFLOW_DEFINITION_MAX_BYTES} serialized bytes,
 * without NUL characters (PostgreSQL's jsonb rejects `\u0000`, which would otherwise be a 500).
 */
export function IsWorkflowDefinition(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWorkflowDefinition',
      validator: {
        validate: (value: unknown) => {
          if (!isObject(value)) {
            return false;
          }
          const json = JSON.stringify(value);
          return (
            Buffer.byteLength(json) <= WORKFLOW_DEFINITION_MAX_BYTES && !json.includes('\\u0000')
          );
        },
        defaultMessage: () =>
          `$property must be a JSON object of at most ${WORKFLOW_DEFINITION_MAX_BYTES} bytes without NUL characters`,
      },
    },
    options,
  );
}
