import {
  changesData,
  normalizeSql,
  redactMessage,
  redactParameters,
  statementKind,
} from './sql-text';

describe('sql-text', () => {
  it('should fold whitespace and replace inlined literals', () => {
    expect(normalizeSql(`SELECT *\n  FROM users WHERE email = 'a@b.c' AND age > 42`)).toBe(
      'SELECT * FROM users WHERE email = ? AND age > ?',
    );
  });

  it('should describe parameters by type and size only', () => {
    const params = ['hunter2', 7, null, [1, 2], new Date(), Buffer.from('xy'), { a: 1 }];
    const described = redactParameters(params);
    expect(described).toEqual([
      'string(7)',
      'number',
      'null',
      'array(2)',
      'date',
      'bytes(2)',
      'object',
    ]);
    expect(JSON.stringify(described)).not.toContain('hunter2');
  });

  it('should strip quoted input from driver messages', () => {
    expect(redactMessage('invalid input syntax for type uuid: "secret-token"')).toBe(
      'invalid input syntax for type uuid: "?"',
    );
  });

  it('should name the statement kind', () => {
    expect(statementKind('  update agents set x = 1')).toBe('UPDATE');
    expect(statementKind('/* comment */ SELECT 1')).toBe('SELECT');
  });
});

describe(changesData.name, () => {
  it.each([
    ['INSERT INTO t VALUES ($1)', true],
    ['UPDATE "agents" SET "name" = $1', true],
    ['DELETE FROM agent_tools WHERE agent_id = $1', true],
    ['COPY agents (name) FROM STDIN', true],
    ['CREATE INDEX CONCURRENTLY x ON t (a)', true],
    ['WITH moved AS (DELETE FROM t RETURNING *) SELECT count(*) FROM moved', true],
    ['EXPLAIN ANALYZE UPDATE t SET a = 1', true],
    ['SELECT "updated_at", "deleted" FROM t', false],
    ['WITH page AS MATERIALIZED (SELECT "updated_at" FROM t) SELECT * FROM page', false],
    ['EXPLAIN (FORMAT JSON) SELECT 1 FROM t', false],
    ['/* comment */ SELECT 1', false],
    ['START TRANSACTION', false],
    ['COMMIT', false],
    ['SHOW server_version', false],
  ])('should tell whether %s changes data (%s)', (sql, expected) => {
    expect(changesData(sql)).toBe(expected);
  });
});
