import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { BadRequestException, PipeTransform, Type } from '@nestjs/common';
import { validateSync, ValidationError, ValidatorOptions } from 'class-validator';
import { findOversizedArrays } from '../bootstrap';

/** Most problems one 400 lists; the client fixes these and resubmits. */
const MAX_PROBLEMS = 20;

/** Items validated between two yields to the event loop (about 20-50 ms of work). */
const ITEMS_PER_SLICE = 1000;

// The same rules as the app-wide ValidationPipe, applied to each item.
const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/**
 * Validates a JSON-array body item by item (the global ValidationPipe skips arrays), so a
 * batch is rejected as a whole, before anything is written, with messages naming the index and
 * field: `[12].name must be shorter than or equal to 200 characters`.
 *
 * Large batches take a while to validate, so the work is sliced and yields to the event loop
 * between slices: other requests keep being served meanwhile. For speed, items are not run
 * through class-transformer: the item class must not rely on `@Type`/`@Transform` (JSON values
 * are validated as parsed; the instance only gets the class prototype).
 *
 * @example
 * ```ts
 * create(@Body(new BatchBodyPipe(BatchCreateAgentItemDto, 100_000)) items: BatchCreateAgentItemDto[])
 * ```
 */
export class BatchBodyPipe<T extends object> implements PipeTransform<unknown, Promise<T[]>> {
  constructor(
    private readonly itemType: Type<T>,
    private readonly maxItems: number,
  ) {}

  async transform(body: unknown): Promise<T[]> {
    if (!Array.isArray(body)) {
      throw new BadRequestException(['body must be a JSON array']);
    }
    if (body.length === 0 || body.length > this.maxItems) {
      throw new BadRequestException([`body must contain 1 to ${this.maxItems} items`]);
    }
    const problems: string[] = [];
    const items = new Array<T>(body.length);
    for (let index = 0; index < body.length && problems.length < MAX_PROBLEMS; index++) {
      if (index > 0 && index % ITEMS_PER_SLICE === 0) {
        await yieldToEventLoop();
      }
      const raw: unknown = body[index];
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        problems.push(`[${index}] must be an object`);
        continue;
      }
      // Declared array sizes first: element rules would otherwise walk an oversized array.
      const oversized = findOversizedArrays(this.itemType, raw, `[${index}].`);
      if (oversized.length > 0) {
        problems.push(...oversized);
        continue;
      }
      const item = Object.setPrototypeOf(raw, this.itemType.prototype as object) as T;
      for (const error of validateSync(item, VALIDATOR_OPTIONS)) {
        problems.push(...describe(error, `[${index}]`));
      }
      items[index] = item;
    }
    if (problems.length > 0) {
      throw new BadRequestException(problems.slice(0, MAX_PROBLEMS));
    }
    return items;
  }
}

/** Messages of one error and its children, each prefixed with the item's path. */
function describe(error: ValidationError, path: string): string[] {
  const messages = Object.entries(error.constraints ?? {}).map(([constraint, message]) =>
    constraint === 'whitelistValidation'
      ? `${path}.${error.property} should not exist`
      : `${path}.${message}`,
  );
  const childPath = `${path}.${error.property}`;
  return messages.concat((error.children ?? []).flatMap((child) => describe(child, childPath)));
}
