import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { ARRAY_MAX_SIZE, getMetadataStorage, ValidationTypes } from 'class-validator';

// class-transformer's `@Type` registry (what ValidationPipe uses to build nested DTOs); the
// package exports it only under this path, without a typed entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

/** A DTO's declared array limits and nested DTO fields, read once per class. */
interface ClassPlan {
  maxSizes: Array<{ property: string; max: number }>;
  nested: Array<{ property: string; type: () => unknown }>;
}

const plans = new WeakMap<object, ClassPlan>();

/** Nested DTOs deeper than this are left to class-validator (the JSON depth limit bounds them). */
const MAX_NESTING = 8;

function planOf(type: new (...args: never[]) => unknown): ClassPlan {
  let plan = plans.get(type);
  if (!plan) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
    plan = {
      maxSizes: metadata
        .filter((meta) => meta.name === ARRAY_MAX_SIZE && !meta.each)
        .map((meta) => ({ property: meta.propertyName, max: Number(meta.constraints[0]) })),
      nested: metadata
        .filter((meta) => meta.type === ValidationTypes.NESTED_VALIDATION)
        .flatMap((meta) => {
          const typeMeta = defaultMetadataStorage.findTypeMetadata(type, meta.propertyName);
          return typeMeta ? [{ property: meta.propertyName, type: typeMeta.typeFunction }] : [];
        }),
    };
    plans.set(type, plan);
  }
  return plan;
}

/**
 * Checks the `@ArrayMaxSize` limits a DTO class declares (on its own fields and on nested
 * `@ValidateNested` + `@Type` fields) against a raw body, before class-transformer and
 * class-validator walk it. class-validator runs every `{ each: true }` rule on every element
 * before `@ArrayMaxSize` fails, so a 10-million-element array would block the event loop for
 * many seconds; this check costs one `length` read per declared array.
 *
 * @returns one message per oversized array, in class-validator's wording (empty when none).
 * @example
 * ```ts
 * const problems = findOversizedArrays(ComputeRequestDto, body);
 * if (problems.length > 0) throw new BadRequestException(problems);
 * ```
 */
export function findOversizedArrays(
  type: new (...args: never[]) => unknown,
  value: unknown,
  path = '',
  nesting = 0,
): string[] {
  if (value === null || typeof value !== 'object' || nesting > MAX_NESTING) {
    return [];
  }
  const plan = planOf(type);
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const { property, max } of plan.maxSizes) {
    const field = record[property];
    if (Array.isArray(field) && field.length > max) {
      problems.push(`${path}${property} must contain no more than ${max} elements`);
    }
  }
  if (problems.length > 0) {
    return problems;
  }
  for (const { property, type: typeFunction } of plan.nested) {
    const nestedType = typeFunction() as new (...args: never[]) => unknown;
    const field = record[property];
    const children = Array.isArray(field) ? field : [field];
    if (typeof nestedType !== 'function' || children.length > 1000) {
      continue; // an unbounded nested array: class-validator's own ArrayMaxSize, if any, says so
    }
    children.forEach((child, index) => {
      const childPath = Array.isArray(field)
        ? `${path}${property}.${index}.`
        : `${path}${property}.`;
      problems.push(...findOversizedArrays(nestedType, child, childPath, nesting + 1));
    });
  }
  return problems;
}
