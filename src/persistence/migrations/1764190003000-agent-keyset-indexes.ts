import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Composite indexes matching every allow-listed sort of the agents list, each ending with the
 * primary key so keyset pages are one index range scan: `(sort, id)` and `(filter, sort, id)`.
 * Built CONCURRENTLY (outside a transaction) so a large table stays writable while they build.
 */
export class AgentKeysetIndexes1764190003000 implements MigrationInterface {
  name = 'AgentKeysetIndexes1764190003000';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    const indexes: Array<[string, string]> = [
      ['agents_created_at_id_idx', '(created_at, id)'],
      ['agents_updated_at_id_idx', '(updated_at, id)'],
      ['agents_name_id_idx', '(name, id)'],
      ['agents_status_created_at_id_idx', '(status, created_at, id)'],
      ['agents_type_created_at_id_idx', '(type, created_at, id)'],
    ];
    for (const [name, columns] of indexes) {
      await queryRunner.query(
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON agents ${columns}`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'agents_type_created_at_id_idx',
      'agents_status_created_at_id_idx',
      'agents_name_id_idx',
      'agents_updated_at_id_idx',
      'agents_created_at_id_idx',
    ]) {
      // `migration:revert` runs inside a transaction, where CONCURRENTLY is not allowed.
      await queryRunner.query(`DROP INDEX IF EXISTS ${name}`);
    }
  }
}
