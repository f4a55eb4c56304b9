import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { IfPresent, IsJsonObject } from '../bootstrap';
import { TEMPLATE_CONFIG_MAX_BYTES } from './template.constants';
import type { TemplateEntity } from './template.entity';

/** Path parameters of `/templates/{id}`. */
export class TemplateIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

/** Body of `POST /templates`. */
export class CreateTemplateDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Research agent' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiProperty({ minLength: 1, maxLength: 50, example: 'research' })
  @IsString()
  @Length(1, 50)
  type: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Agent settings the template applies (JSON object, at most 64 KiB).',
  })
  @IfPresent()
  @IsJsonObject(TEMPLATE_CONFIG_MAX_BYTES)
  config?: Record<string, unknown>;
}

/** Body of `PUT /templates/{id}`: any subset of the create fields (null only for `description`). */
export class UpdateTemplateDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IfPresent()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: 50 })
  @IfPresent()
  @IsString()
  @Length(1, 50)
  type?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IfPresent()
  @IsJsonObject(TEMPLATE_CONFIG_MAX_BYTES)
  config?: Record<string, unknown>;
}

/** A template as the API returns it. */
export class TemplateResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty()
  type: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  config: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

/** Maps an entity to its wire form. */
export function toTemplateResponse(template: TemplateEntity): TemplateResponseDto {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    type: template.type,
    config: template.config,
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
  };
}
