import { Injectable, NotFoundException } from '@nestjs/common';
import { type JsonPage, type PageRequest, Paginator } from '../pagination';
import { CreateToolDto, UpdateToolDto } from './dto/create-tool.dto';
import { ToolResponseDto, toToolResponse } from './dto/tool-response.dto';
import { ToolPatch, ToolsRepository } from './tools.repository';

/** The tool catalogue: public reads, admin writes. */
@Injectable()
export class ToolsService {
  constructor(
    private readonly tools: ToolsRepository,
    private readonly paginator: Paginator,
  ) {}

  /** A page of the catalogue (by name unless `sort_by` says otherwise), serialized. */
  list(request: PageRequest): Promise<JsonPage<ToolResponseDto>> {
    return this.paginator.paginateSource(this.tools.listSource(), request);
  }

  async get(id: string): Promise<ToolResponseDto> {
    const tool = await this.tools.findById(id);
    if (!tool) {
      throw new NotFoundException(`Tool ${id} not found`);
    }
    return toToolResponse(tool);
  }

  /** Creates a tool; a taken name is a 409 (unique violation, mapped by the database filter). */
  async create(dto: CreateToolDto): Promise<ToolResponseDto> {
    return toToolResponse(
      await this.tools.insert({ description: null, ...toPatch(dto), name: dto.name }),
    );
  }

  async update(id: string, dto: UpdateToolDto): Promise<ToolResponseDto> {
    if (!(await this.tools.update(id, toPatch(dto)))) {
      throw new NotFoundException(`Tool ${id} not found`);
    }
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.tools.delete(id))) {
      throw new NotFoundException(`Tool ${id} not found`);
    }
  }

  /**
   * Which of the given tool ids exist, in one query. Used by agents to reject unknown `tool_ids`.
   */
  async findExistingIds(ids: readonly string[]): Promise<Set<string>> {
    return ids.length === 0 ? new Set() : new Set(await this.tools.findExistingIds(ids));
  }
}

function toPatch(dto: UpdateToolDto): ToolPatch {
  return {
    ...(dto.name !== undefined && { name: dto.name }),
    ...(dto.description !== undefined && { description: dto.description }),
    ...(dto.kind !== undefined && { kind: dto.kind }),
    ...(dto.config !== undefined && { config: dto.config }),
  };
}
