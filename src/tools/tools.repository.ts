import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, SelectQueryBuilder, type QueryDeepPartialEntity } from 'typeorm';
import { ToolEntity } from './tool.entity';

/** Writable columns of a tool. */
export type ToolPatch = Partial<Pick<ToolEntity, 'name' | 'description' | 'kind' | 'config'>>;

// TypeORM's deep-partial type cannot express `unknown` JSON values, so jsonb columns need a cast.
const asValues = (values: ToolPatch): QueryDeepPartialEntity<ToolEntity> =>
  values as QueryDeepPartialEntity<ToolEntity>;

/** Data access for tools. */
@Injectable()
export class ToolsRepository {
  constructor(@InjectRepository(ToolEntity) private readonly tools: Repository<ToolEntity>) {}

  /** The root query of tool lists; the paginator adds filters, order and bounds. */
  listQuery(): SelectQueryBuilder<ToolEntity> {
    return this.tools.createQueryBuilder('tool');
  }

  findById(id: string): Promise<ToolEntity | null> {
    return this.tools.findOneBy({ id });
  }

  /** Which of the ids exist, in one query. */
  async findExistingIds(ids: readonly string[]): Promise<string[]> {
    const rows = await this.tools.find({ select: { id: true }, where: { id: In([...ids]) } });
    return rows.map((row) => row.id);
  }

  /** Inserts the tool; generated and default columns are read back by the same statement. */
  async insert(values: ToolPatch & Pick<ToolEntity, 'name'>): Promise<ToolEntity> {
    const tool = this.tools.create(values);
    await this.tools.insert(asValues(tool));
    return tool;
  }

  /** Applies the patch; false when no such tool. */
  async update(id: string, patch: ToolPatch): Promise<boolean> {
    if (Object.keys(patch).length === 0) {
      return this.tools.existsBy({ id });
    }
    const result = await this.tools.update({ id }, asValues(patch));
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the tool (agents lose it through the join table's cascade); false when unknown. */
  async delete(id: string): Promise<boolean> {
    const result = await this.tools.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
