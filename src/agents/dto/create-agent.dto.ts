import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  AGENT_STATUSES,
  AGENT_TYPES,
  MAX_AGENT_TOOLS,
  type AgentStatus,
  type AgentType,
} from '../agents.constants';

/** Skips validation only when the field is absent: `null` is still rejected. */
export const isPresent = (_dto: object, value: unknown): boolean => value !== undefined;

/** A new agent, owned by the caller. */
export class CreateAgentDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Support assistant' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: AGENT_TYPES })
  @IsIn(AGENT_TYPES)
  type: AgentType;

  @ApiPropertyOptional({ enum: AGENT_STATUSES, default: 'active' })
  @ValidateIf(isPresent)
  @IsIn(AGENT_STATUSES)
  status?: AgentStatus;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {} })
  @ValidateIf(isPresent)
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_AGENT_TOOLS,
    description: 'Ids of existing tools; unknown ids are a 400 naming them',
  })
  @ValidateIf(isPresent)
  @IsArray()
  @ArrayMaxSize(MAX_AGENT_TOOLS)
  @IsUUID('all', { each: true })
  tool_ids?: string[];
}
