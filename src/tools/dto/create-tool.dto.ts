import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';

/** Skips validation only when the field is absent: `null` is still rejected. */
const isPresent = (_dto: object, value: unknown): boolean => value !== undefined;

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
  @ValidateIf(isPresent)
  @IsString()
  @Length(1, 50)
  kind?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {} })
  @ValidateIf(isPresent)
  @IsObject()
  config?: Record<string, unknown>;
}

/** Changes to a tool: absent fields are kept; `description` may be cleared with `null`. */
export class UpdateToolDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'Unique name' })
  @ValidateIf(isPresent)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: 50 })
  @ValidateIf(isPresent)
  @IsString()
  @Length(1, 50)
  kind?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @ValidateIf(isPresent)
  @IsObject()
  config?: Record<string, unknown>;
}
