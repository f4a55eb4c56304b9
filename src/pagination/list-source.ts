import type { TextValue } from '../persistence';

/**
 * How a response field is written from its column, as `JSON.stringify` writes the value TypeORM
 * reads from it:
 * - `text`: a JSON string (text, varchar, uuid, enums; also bigint and numeric, which TypeORM
 *   reads as strings);
 * - `json`: `json`/`jsonb`, parsed and printed again by Node (PostgreSQL prints jsonb with
 *   spaces and its own number forms);
 * - `timestamp`: a `timestamptz` as the ISO 8601 UTC string of a `Date` (milliseconds,
 *   truncated like the pg driver does);
 * - `integer`: `int2`/`int4` as a number;
 * - `boolean`: `true`/`false`.
 */
export type SourceColumnKind = 'text' | 'json' | 'timestamp' | 'integer' | 'boolean';

/** One response field: the column it is read from and how. */
export interface SourceColumn {
  column: string;
  kind: SourceColumnKind;
}

/** The kinds that can produce a field of type `V` (a `Date` field has none: use a string). */
export type KindFor<V> = [V] extends [string | null]
  ? 'text' | 'timestamp'
  : [V] extends [number | null]
    ? 'integer'
    : [V] extends [boolean | null]
      ? 'boolean'
      : [V] extends [Date | null]
        ? never
        : 'json';

/**
 * Where a database-backed list reads its items without entities: the table, and the response
 * fields in response order, each from a column. The resource's sort, filter and search columns
 * are columns of the same table.
 */
export interface ListSource<T> {
  /** SQL table of the rows. */
  table: string;
  /** Every field of the response item, in the order the response lists them. */
  fields: { readonly [K in keyof T]-?: { column: string; kind: KindFor<T[K]> } };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The field's JSON value as SQL text (`null` for NULL); json columns are not written here. */
function jsonValueSql(alias: string, { column, kind }: SourceColumn): string {
  const ref = `"${alias}"."${column}"`;
  const value =
    kind === 'timestamp'
      ? `'"' || to_char(${ref} AT TIME ZONE 'UTC', ${ISO_UTC}) || '"'`
      : kind === 'text'
        ? `to_json(${ref}::text)::text`
        : `to_json(${ref})::text`;
  return `COALESCE(${value}, 'null')`;
}

/**
 * The select list that writes an item's JSON: PostgreSQL writes the keys and every non-json
 * value (its string escaping is `JSON.stringify`'s), in text segments; each json column comes
 * between two segments as the raw column, for Node to print compactly ({@link rowEncoder}).
 */
export function itemJsonSql<T>(alias: string, source: ListSource<T>): string[] {
  const columns: string[] = [];
  let segment: string[] = [];
  Object.entries<SourceColumn>(source.fields as Record<string, SourceColumn>).forEach(
    ([name, spec], index) => {
      segment.push(literal(`${index === 0 ? '{' : ','}${JSON.stringify(name)}:`));
      if (spec.kind === 'json') {
        columns.push(segment.join(' || '), `"${alias}"."${spec.column}"`);
        segment = [];
      } else {
        segment.push(jsonValueSql(alias, spec));
      }
    },
  );
  segment.push(literal('}'));
  columns.push(segment.join(' || '));
  return columns;
}

/**
 * Declares a list source, checking its identifiers once at startup.
 *
 * @example
 * ```ts
 * export const TOOL_LIST = defineListSource<ToolResponseDto>({
 *   table: 'tools',
 *   fields: {
 *     id: { column: 'id', kind: 'text' },
 *     config: { column: 'config', kind: 'json' },
 *     created_at: { column: 'created_at', kind: 'timestamp' },
 *   },
 * });
 * ```
 * @publicApi
 */
export function defineListSource<T>(source: ListSource<T>): ListSource<T> {
  const columns: SourceColumn[] = Object.values(source.fields);
  for (const name of [source.table, ...columns.map((spec) => spec.column)]) {
    if (!IDENTIFIER.test(name)) {
      throw new Error(`list source ${source.table}: ${name} must be a plain identifier`);
    }
  }
  if (columns.length === 0) {
    throw new Error(`list source ${source.table}: needs at least one field`);
  }
  return source;
}

/**
 * Joins the columns of {@link itemJsonSql} into the item's JSON text: the same bytes as
 * `JSON.stringify` of the response item built from an entity.
 */
export function rowEncoder<T>(source: ListSource<T>): (row: readonly TextValue[]) => string {
  const width = itemJsonSql('r', source).length;
  if (width === 1) {
    return (row) => row[0] as string;
  }
  return (row) => {
    let json = row[0] as string;
    for (let i = 1; i < width; i += 2) {
      const value = row[i];
      json +=
        (value === null ? 'null' : JSON.stringify(JSON.parse(value))) + (row[i + 1] as string);
    }
    return json;
  };
}
