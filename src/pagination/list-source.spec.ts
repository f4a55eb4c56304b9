import { defineListSource, itemJsonSql, rowEncoder } from './list-source';

interface Item {
  id: string;
  config: Record<string, unknown>;
  note: string | null;
  count: number;
  on: boolean;
  extra: unknown[] | null;
  at: string;
}

const SOURCE = defineListSource<Item>({
  table: 'items',
  fields: {
    id: { column: 'id', kind: 'text' },
    config: { column: 'config', kind: 'json' },
    note: { column: 'note', kind: 'text' },
    count: { column: 'n', kind: 'integer' },
    on: { column: 'on_off', kind: 'boolean' },
    extra: { column: 'extra', kind: 'json' },
    at: { column: 'created_at', kind: 'timestamp' },
  },
});

describe(defineListSource.name, () => {
  it('should refuse identifiers that are not plain', () => {
    expect(() =>
      defineListSource<{ a: string }>({
        table: 'x;drop',
        fields: { a: { column: 'a', kind: 'text' } },
      }),
    ).toThrow('x;drop must be a plain identifier');
    expect(() =>
      defineListSource<{ a: string }>({
        table: 'x',
        fields: { a: { column: 'A"', kind: 'text' } },
      }),
    ).toThrow('A" must be a plain identifier');
  });
});

describe(itemJsonSql.name, () => {
  it('should write keys and plain values in SQL and leave each json column raw between segments', () => {
    const columns = itemJsonSql('r', SOURCE);

    expect(columns).toEqual([
      `'{"id":' || COALESCE(to_json("r"."id"::text)::text, 'null') || ',"config":'`,
      '"r"."config"',
      `',"note":' || COALESCE(to_json("r"."note"::text)::text, 'null') || ',"count":' || ` +
        `COALESCE(to_json("r"."n")::text, 'null') || ',"on":' || COALESCE(to_json("r"."on_off")::text, 'null') || ',"extra":'`,
      '"r"."extra"',
      `',"at":' || COALESCE('"' || to_char("r"."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null') || '}'`,
    ]);
  });
});

describe(rowEncoder.name, () => {
  it('should print json columns compactly, as JSON.stringify of the parsed value', () => {
    const encode = rowEncoder(SOURCE);

    const json = encode([
      '{"id":"a","config":',
      '{"b": [1.50, 2E2, {"c": "x, y: z"}], "a": 0.10}',
      ',"note":null,"count":3,"on":true,"extra":',
      null,
      ',"at":"2026-01-01T00:00:00.000Z"}',
    ]);

    expect(json).toBe(
      '{"id":"a","config":{"b":[1.5,200,{"c":"x, y: z"}],"a":0.1},"note":null,"count":3,' +
        '"on":true,"extra":null,"at":"2026-01-01T00:00:00.000Z"}',
    );
  });

  it('should pass a source without json columns through as one segment', () => {
    const plain = defineListSource<{ a: string }>({
      table: 't',
      fields: { a: { column: 'a', kind: 'text' } },
    });

    expect(rowEncoder(plain)(['{"a":"x"}'])).toBe('{"a":"x"}');
  });
});
