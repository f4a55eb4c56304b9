import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryDeepPartialEntity, Repository, SelectQueryBuilder } from 'typeorm';
import { WorkflowEntity } from './workflow.entity';

/** Fields a caller may set on a workflow. */
export type WorkflowFields = Pick<
  WorkflowEntity,
  'agentId' | 'name' | 'description' | 'definition' | 'status'
>;

// The jsonb `definition` (Record<string, unknown>) does not fit TypeORM's QueryDeepPartialEntity
// typing, hence the casts at the two write calls.

/** Data access of the `workflows` table; one statement per method (list pages: see listQuery). */
@Injectable()
export class WorkflowsRepository {
  constructor(
    @InjectRepository(WorkflowEntity) private readonly repo: Repository<WorkflowEntity>,
  ) {}

  /** The root-table query that list pages start from (no joins: counts stay cheap). */
  listQuery(): SelectQueryBuilder<WorkflowEntity> {
    return this.repo.createQueryBuilder('workflow');
  }

  findById(id: string): Promise<WorkflowEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Inserts the row and returns it with the generated id and timestamps. */
  async insert(fields: WorkflowFields): Promise<WorkflowEntity> {
    const workflow = this.repo.create(fields);
    await this.repo.insert(workflow as QueryDeepPartialEntity<WorkflowEntity>);
    return workflow;
  }

  /**
   * Writes the defined fields of `patch` onto the loaded row (undefined means "leave as is") and
   * returns it; null when the row is gone meanwhile.
   */
  async update(
    workflow: WorkflowEntity,
    patch: Partial<Omit<WorkflowFields, 'agentId'>>,
  ): Promise<WorkflowEntity | null> {
    const fields = Object.fromEntries(
      Object.entries(patch).filter(([, value]) => value !== undefined),
    ) as typeof patch;
    if (Object.keys(fields).length === 0) {
      return workflow;
    }
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set(fields as QueryDeepPartialEntity<WorkflowEntity>)
      .where('id = :id', { id: workflow.id })
      .returning('updated_at')
      .execute();
    const [row] = result.raw as { updated_at: Date }[];
    return row ? Object.assign(workflow, fields, { updatedAt: row.updated_at }) : null;
  }

  /** Deletes the row; false when no row had the id. */
  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
