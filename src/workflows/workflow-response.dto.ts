import { ApiProperty } from '@nestjs/swagger';
import { WORKFLOW_STATUSES, type WorkflowStatus } from './workflow.constants';
import type { WorkflowEntity } from './workflow.entity';

/** A workflow as the API returns it. */
export class WorkflowResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  agent_id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  definition: Record<string, unknown>;

  @ApiProperty({ enum: WORKFLOW_STATUSES })
  status: WorkflowStatus;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

/** Maps an entity to its wire form. */
export function toWorkflowResponse(workflow: WorkflowEntity): WorkflowResponseDto {
  return {
    id: workflow.id,
    agent_id: workflow.agentId,
    name: workflow.name,
    description: workflow.description,
    definition: workflow.definition,
    status: workflow.status,
    created_at: workflow.createdAt.toISOString(),
    updated_at: workflow.updatedAt.toISOString(),
  };
}
