import { ApiProperty } from '@nestjs/swagger';
import type { ToolEntity } from '../../tools';
import type { UserSummary } from '../../users';
import { AgentEntity } from '../agent.entity';
import { AgentResponseDto, toAgentResponse } from './agent-response.dto';

/** A tool of an agent. */
export class AgentToolSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ example: 'function' })
  kind: string;
}

/** A workflow of an agent. */
export class AgentWorkflowSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  status: string;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at: Date;
}

/** The owner of an agent. */
export class AgentOwnerDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true })
  display_name: string | null;
}

/** An agent with its tools, workflows and owner. */
export class AgentDetailResponseDto extends AgentResponseDto {
  @ApiProperty({ type: [AgentToolSummaryDto] })
  tools: AgentToolSummaryDto[];

  @ApiProperty({ type: [AgentWorkflowSummaryDto] })
  workflows: AgentWorkflowSummaryDto[];

  @ApiProperty({ type: AgentOwnerDto, nullable: true })
  owner: AgentOwnerDto | null;
}

/** Maps an agent and its related rows to the detail response. */
export function toAgentDetailResponse(
  agent: AgentEntity,
  tools: ToolEntity[],
  workflows: AgentWorkflowSummaryDto[],
  owner: UserSummary | null,
): AgentDetailResponseDto {
  return {
    ...toAgentResponse(agent),
    tools: tools.map(({ id, name, description, kind }) => ({ id, name, description, kind })),
    workflows,
    owner: owner && { id: owner.id, display_name: owner.display_name },
  };
}
