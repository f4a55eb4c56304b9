import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IfPresent } from '../../bootstrap';

/** A new tool. */
export class CreateToolDto {
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'Unique name' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: 50, default: 'function' })
  @IfPresent()
  @IsString()
  @Length(1, 50)
  kind?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {} })
  @IfPresent()
  @IsObject()
  config?: Record<string, unknown>;
}

/** Changes to a tool: absent fields are kept; `description` may be cleared with `null`. */
export class UpdateToolDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'Unique name' })
  @IfPresent()
  @IsString()
  @Length(1, 100)
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
  kind?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IfPresent()
  @IsObject()
  config?: Record<string, unknown>;
}
