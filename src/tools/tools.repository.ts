import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type QueryDeepPartialEntity } from 'typeorm';
import { defineListSource, type ListSource } from '../pagination';
import type { ToolResponseDto } from './dto/tool-response.dto';
import { ToolEntity } from './tool.entity';

/** Writable columns of a tool. */
export type ToolPatch = Partial<Pick<ToolEntity, 'name' | 'description' | 'kind' | 'config'>>;

// TypeORM's deep-partial type cannot express `unknown` JSON values, so jsonb columns need a cast.
const asValues = (values: ToolPatch): QueryDeepPartialEntity<ToolEntity> =>
  values as QueryDeepPartialEntity<ToolEntity>;

/** Tool lists, read without entities; fields in the order of `toToolResponse`. */
const TOOL_LIST = defineListSource<ToolResponseDto>({
  table: 'tools',
  fields: {
    id: { column: 'id', kind: 'text' },
    name: { column: 'name', kind: 'text' },
    description: { column: 'description', kind: 'text' },
    kind: { column: 'kind', kind: 'text' },
    config: { column: 'config', kind: 'json' },
    created_at: { column: 'created_at', kind: 'timestamp' },
    updated_at: { column: 'updated_at', kind: 'timestamp' },
  },
});

/** Data access for tools. */
@Injectable()
export class ToolsRepository {
  constructor(@InjectRepository(ToolEntity) private readonly tools: Repository<ToolEntity>) {}

  /** Where tool lists read their items; the paginator adds filters, order and bounds. */
  listSource(): ListSource<ToolResponseDto> {
    return TOOL_LIST;
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
