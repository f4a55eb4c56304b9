import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the newest-first lists of workflows (per agent and overall) and documents (per
 * owner and overall). The composite per-agent and per-owner indexes also serve the foreign-key
 * lookups, so they replace the single-column ones.
 */
export class WorkflowDocumentListIndexes1764190002000 implements MigrationInterface {
  name = 'WorkflowDocumentListIndexes1764190002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX workflows_agent_id_created_at_idx ON workflows (agent_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX workflows_created_at_idx ON workflows (created_at DESC, id DESC)`,
    );
    await queryRunner.query(`DROP INDEX IF EXISTS workflows_agent_id_idx`);
    await queryRunner.query(
      `CREATE INDEX documents_owner_id_created_at_idx ON documents (owner_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX documents_created_at_idx ON documents (created_at DESC, id DESC)`,
    );
    await queryRunner.query(`DROP INDEX IF EXISTS documents_owner_id_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX documents_owner_id_idx ON documents (owner_id)`);
    await queryRunner.query(`DROP INDEX IF EXISTS documents_created_at_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS documents_owner_id_created_at_idx`);
    await queryRunner.query(`CREATE INDEX workflows_agent_id_idx ON workflows (agent_id)`);
    await queryRunner.query(`DROP INDEX IF EXISTS workflows_created_at_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS workflows_agent_id_created_at_idx`);
  }
}
