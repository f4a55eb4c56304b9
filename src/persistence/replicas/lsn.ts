/**
 * A WAL position (`pg_lsn`, text `X/Y`) as a number of bytes. Below 2^53 (8 PiB of WAL), so a
 * double holds it exactly, in Node and in Redis's Lua alike.
 */
export type Lsn = number;

const LSN_TEXT = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** Parses PostgreSQL's `X/Y` text; undefined for NULL (a replica that replayed nothing yet). */
export function parseLsn(text: string | null | undefined): Lsn | undefined {
  const match = text ? LSN_TEXT.exec(text) : null;
  if (!match) {
    return undefined;
  }
  return parseInt(match[1], 16) * 2 ** 32 + parseInt(match[2], 16);
}

/** Back to PostgreSQL's text form (logs and tests). */
export function formatLsn(lsn: Lsn): string {
  const high = Math.floor(lsn / 2 ** 32);
  const low = lsn - high * 2 ** 32;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}
