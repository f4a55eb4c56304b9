import { ApiProperty } from '@nestjs/swagger';
import { AGENT_STATUSES, AGENT_TYPES } from '../agents.constants';
import { AgentEntity } from '../agent.entity';

/** An agent. */
export class AgentResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: AGENT_TYPES })
  type: string;

  @ApiProperty({ enum: AGENT_STATUSES })
  status: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  config: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  owner_id: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at: Date;
}

/** Maps an agent row to its response. */
export function toAgentResponse(agent: AgentEntity): AgentResponseDto {
  return {
    id: agent.id,
    name: agent.name,
    type: agent.type,
    status: agent.status,
    description: agent.description,
    config: agent.config,
    owner_id: agent.ownerId,
    created_at: agent.createdAt,
    updated_at: agent.updatedAt,
  };
}
