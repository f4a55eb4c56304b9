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
} from 'class-validator';
import { IfPresent } from '../../bootstrap';
import {
  AGENT_STATUSES,
  AGENT_TYPES,
  MAX_AGENT_TOOLS,
  type AgentStatus,
  type AgentType,
} from '../agents.constants';

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
  @IfPresent()
  @IsIn(AGENT_STATUSES)
  status?: AgentStatus;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, default: {} })
  @IfPresent()
  @IsObject()
  config?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_AGENT_TOOLS,
    description: 'Ids of existing tools; unknown ids are a 400 naming them',
  })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_AGENT_TOOLS)
  @IsUUID('all', { each: true })
  tool_ids?: string[];
}
