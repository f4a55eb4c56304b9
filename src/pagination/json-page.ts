import { OffsetPageMetadata } from './page';

/**
 * A page already serialized: the exact bytes `JSON.stringify` would give its `{ items, metadata }`,
 * built from the rows without objects. `@Paginated` routes send it as is (`application/json`),
 * after setting `Link` from its metadata; anything else serializing it gets the same JSON.
 * `T` is the item type the JSON holds.
 */
export class JsonPage<T> {
  /** @internal type of the items, for signatures only. */
  declare readonly itemType?: T;

  constructor(
    readonly metadata: OffsetPageMetadata,
    /** The whole page as JSON text. */
    readonly json: string,
  ) {}

  /** The page as values, for serializers that are not the `@Paginated` interceptor. */
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}
