import type { ConfigType } from '@nestjs/config';
import { AGENTS_PAGINATION } from '../../../src/agents/agents.pagination';
import { CursorCodec, paginationConfig } from '../../../src/pagination';
import { parsePageRequest } from '../../../src/pagination/page-request.parser';
import type { BenchApp } from '../../lib/bench-app';
import type { BenchContext } from '../../lib/scenario';

/** The default agents order, as the keyset index stores it. */
export const AGENTS_ORDER = 'ORDER BY created_at DESC, id DESC';

/** A `next` cursor that starts right after the row at `offset`, and the id that page starts with. */
export interface DeepCursor {
  cursor: string;
  /** created_at (exact text) and id of the boundary row. */
  keys: [string, string];
  firstId: string;
}

/**
 * Makes the cursor a client would hold after paging to `offset` without walking there: the
 * boundary row comes from the database, the cursor from the app's own codec and request
 * signature (default sort, no filters).
 */
export async function deepCursor(
  context: BenchContext,
  { app }: BenchApp,
  offset: number,
): Promise<DeepCursor> {
  const rows = await context.query<{ created_at: string; id: string }>(
    `SELECT created_at::text AS created_at, id::text AS id FROM agents ${AGENTS_ORDER} OFFSET $1 LIMIT 2`,
    [offset],
  );
  if (rows.length < 2) {
    throw new Error(`agents has no row at offset ${offset + 1}; seed more agents`);
  }
  const codec = app.get(CursorCodec);
  const config = app.get<ConfigType<typeof paginationConfig>>(paginationConfig.KEY);
  const { signature } = parsePageRequest({}, AGENTS_PAGINATION, config, codec, 'cursor');
  const keys: [string, string] = [rows[0].created_at, rows[0].id];
  const cursor = codec.encode(AGENTS_PAGINATION.name, signature, { direction: 'next', keys });
  return { cursor, keys, firstId: rows[1].id };
}
