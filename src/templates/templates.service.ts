import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { mapPage, type Page, type PageRequest, Paginator } from '../pagination';
import {
  CreateTemplateDto,
  TemplateResponseDto,
  toTemplateResponse,
  UpdateTemplateDto,
} from './template.dto';
import { TemplatesRepository } from './templates.repository';

const UNIQUE_VIOLATION = '23505';

/** Agent templates: public reads, admin-only writes, unique names. */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly templates: TemplatesRepository,
    private readonly paginator: Paginator,
  ) {}

  /** A page of templates (by name unless `sort_by` says otherwise); one SELECT when it is short. */
  async list(request: PageRequest): Promise<Page<TemplateResponseDto>> {
    return mapPage(
      await this.paginator.paginate(this.templates.listQuery(), request),
      toTemplateResponse,
    );
  }

  /** @throws NotFoundException for an unknown id. */
  async get(id: string): Promise<TemplateResponseDto> {
    return toTemplateResponse(await this.require(id));
  }

  /** @throws ConflictException when the name is taken. */
  async create(dto: CreateTemplateDto): Promise<TemplateResponseDto> {
    const fields = {
      name: dto.name,
      description: dto.description ?? null,
      type: dto.type,
      config: dto.config ?? {},
    };
    const template = await this.uniqueName(dto.name, () => this.templates.insert(fields));
    return toTemplateResponse(template);
  }

  /** @throws NotFoundException for an unknown id, ConflictException when the name is taken. */
  async update(id: string, dto: UpdateTemplateDto): Promise<TemplateResponseDto> {
    const template = await this.require(id);
    const updated = await this.uniqueName(dto.name, () => this.templates.update(template, dto));
    if (!updated) {
      throw new NotFoundException(`Template ${id} not found`);
    }
    return toTemplateResponse(updated);
  }

  /** @throws NotFoundException for an unknown id. */
  async delete(id: string): Promise<void> {
    if (!(await this.templates.delete(id))) {
      throw new NotFoundException(`Template ${id} not found`);
    }
  }

  private async require(id: string) {
    const template = await this.templates.findById(id);
    if (!template) {
      throw new NotFoundException(`Template ${id} not found`);
    }
    return template;
  }

  /** Runs a write, turning a unique-name violation into a 409 that names the field. */
  private async uniqueName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const code = (error as QueryFailedError & { driverError?: { code?: string } }).driverError
        ?.code;
      if (error instanceof QueryFailedError && code === UNIQUE_VIOLATION) {
        throw new ConflictException(`name: a template named "${name}" already exists`);
      }
      throw error;
    }
  }
}
