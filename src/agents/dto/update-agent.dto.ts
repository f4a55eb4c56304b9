import { ApiPropertyOptional } from '@nestjs/swagger';
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
} from 'class-validator';
import { IfPresent } from '../../bootstrap';
import {
  AGENT_STATUSES,
  AGENT_TYPES,
  MAX_AGENT_TOOLS,
  type AgentStatus,
  type AgentType,
} from '../agents.constants';

/**
 * Changes to an agent: absent fields are kept; only `description` may be cleared with `null`.
 * (Written out rather than `PartialType`, which would let `null` through to NOT NULL columns.)
 */
export class UpdateAgentFieldsDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IfPresent()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: AGENT_TYPES })
  @IfPresent()
  @IsIn(AGENT_TYPES)
  type?: AgentType;

  @ApiPropertyOptional({ enum: AGENT_STATUSES })
  @IfPresent()
  @IsIn(AGENT_STATUSES)
  status?: AgentStatus;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IfPresent()
  @IsObject()
  config?: Record<string, unknown>;
}

/** `PUT /agents/{id}` body: the fields, plus `tool_ids`, which replaces the agent's tool set. */
export class UpdateAgentDto extends UpdateAgentFieldsDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_AGENT_TOOLS,
    description: "Replaces the agent's tools; unknown ids are a 400 naming them",
  })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_AGENT_TOOLS)
  @IsUUID('all', { each: true })
  tool_ids?: string[];
}
