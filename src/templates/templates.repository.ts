import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryDeepPartialEntity, Repository, SelectQueryBuilder } from 'typeorm';
import { TemplateEntity } from './template.entity';

/** Fields a caller may set on a template. */
export type TemplateFields = Pick<TemplateEntity, 'name' | 'description' | 'type' | 'config'>;

// The jsonb `config` (Record<string, unknown>) does not fit TypeORM's QueryDeepPartialEntity
// typing, hence the casts at the two write calls.

/** Data access of the `templates` table; one statement per method. */
@Injectable()
export class TemplatesRepository {
  constructor(
    @InjectRepository(TemplateEntity) private readonly repo: Repository<TemplateEntity>,
  ) {}

  /** The root query of template lists; the paginator adds filters, order and bounds. */
  listQuery(): SelectQueryBuilder<TemplateEntity> {
    return this.repo.createQueryBuilder('template');
  }

  findById(id: string): Promise<TemplateEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Inserts the row and returns it with the generated id and timestamps. */
  async insert(fields: TemplateFields): Promise<TemplateEntity> {
    const template = this.repo.create(fields);
    await this.repo.insert(template as QueryDeepPartialEntity<TemplateEntity>);
    return template;
  }

  /**
   * Writes the defined `fields` onto the loaded row (undefined means "leave as is") and returns
   * it; null when the row is gone meanwhile.
   */
  async update(
    template: TemplateEntity,
    patch: Partial<TemplateFields>,
  ): Promise<TemplateEntity | null> {
    const fields = Object.fromEntries(
      Object.entries(patch).filter(([, value]) => value !== undefined),
    ) as Partial<TemplateFields>;
    if (Object.keys(fields).length === 0) {
      return template;
    }
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set(fields as QueryDeepPartialEntity<TemplateEntity>)
      .where('id = :id', { id: template.id })
      .returning('updated_at')
      .execute();
    const [row] = result.raw as { updated_at: Date }[];
    return row ? Object.assign(template, fields, { updatedAt: row.updated_at }) : null;
  }

  /** Deletes the row; false when no row had the id. */
  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
