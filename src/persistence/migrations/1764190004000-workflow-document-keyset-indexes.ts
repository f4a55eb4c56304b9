import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Composite indexes matching every allow-listed sort of the workflow and document lists, each
 * ending with the primary key so keyset pages are one index range scan: `(sort, id)` for
 * unscoped lists and `(scope, sort, id)` for one agent's workflows or one owner's documents.
 * 1764190002000 already covers `created_at` (both forms; a backward scan serves the other
 * direction). Built CONCURRENTLY (outside a transaction) so the tables stay writable meanwhile.
 */
export class WorkflowDocumentKeysetIndexes1764190004000 implements MigrationInterface {
  name = 'WorkflowDocumentKeysetIndexes1764190004000';
  transaction = false as const;

  private readonly indexes: ReadonlyArray<[name: string, table: string, columns: string]> = [
    ['workflows_updated_at_id_idx', 'workflows', '(updated_at, id)'],
    ['workflows_name_id_idx', 'workflows', '(name, id)'],
    ['workflows_agent_id_id_idx', 'workflows', '(agent_id, id)'],
    ['workflows_agent_id_updated_at_id_idx', 'workflows', '(agent_id, updated_at, id)'],
    ['workflows_agent_id_name_id_idx', 'workflows', '(agent_id, name, id)'],
    ['documents_updated_at_id_idx', 'documents', '(updated_at, id)'],
    ['documents_title_id_idx', 'documents', '(title, id)'],
    ['documents_owner_id_id_idx', 'documents', '(owner_id, id)'],
    ['documents_owner_id_updated_at_id_idx', 'documents', '(owner_id, updated_at, id)'],
    ['documents_owner_id_title_id_idx', 'documents', '(owner_id, title, id)'],
  ];

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, table, columns] of this.indexes) {
      await queryRunner.query(
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${table} ${columns}`,
      );
    }
  }

  // Not CONCURRENTLY: TypeORM reverts inside a transaction whatever `transaction` says, and
  // dropping an index only needs a short lock.
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of [...this.indexes].reverse()) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${name}`);
    }
  }
}
