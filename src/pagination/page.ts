import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COUNT_STRATEGIES, type CountStrategy } from './pagination.constants';

/** Metadata of an offset page (wire format of the guide: snake_case). */
export class OffsetPageMetadata {
  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  size: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Total rows; null with count=none. With count=capped, the cap when exceeded.',
  })
  total: number | null;

  @ApiProperty({ nullable: true, type: Number })
  total_pages: number | null;

  @ApiProperty()
  has_next: boolean;

  @ApiProperty()
  has_prev: boolean;

  @ApiProperty({
    enum: COUNT_STRATEGIES,
    description:
      'Count strategy that produced total: capped when a caller who is not an admin asked for exact (or got it by default)',
  })
  count_strategy: CountStrategy;

  @ApiProperty({ description: 'True when total is approximate (estimate) or a lower bound ("N+")' })
  total_is_approximate: boolean;
}

/** Metadata of a keyset page. */
export class CursorPageMetadata {
  @ApiProperty({ example: 20 })
  size: number;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Opaque cursor of the next page',
  })
  next_cursor: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Opaque cursor of the previous page',
  })
  prev_cursor: string | null;

  @ApiProperty()
  has_next: boolean;

  @ApiProperty()
  has_prev: boolean;
}

/** A page of items with its metadata. */
export interface Page<T, M = OffsetPageMetadata> {
  items: T[];
  metadata: M;
}

/** A keyset page. */
export type CursorPage<T> = Page<T, CursorPageMetadata>;

/** Maps the items of a page (entities to response DTOs), keeping the metadata. */
export function mapPage<T, R, M>(page: Page<T, M>, map: (item: T) => R): Page<R, M> {
  return { items: page.items.map(map), metadata: page.metadata };
}
