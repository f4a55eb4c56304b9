import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { IfPresent, IsJsonObject } from '../bootstrap';
import {
  WORKFLOW_DEFINITION_MAX_BYTES,
  WORKFLOW_STATUSES,
  type WorkflowStatus,
} from './workflow.constants';

/** Path parameters of `/workflows/{id}`. */
export class WorkflowIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

/** Body of `PUT /workflows/{id}`: absent fields are kept; `description` may be cleared with null. */
export class UpdateWorkflowDto {
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

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Steps of the workflow (JSON object, at most 64 KiB serialized)',
  })
  @IfPresent()
  @IsJsonObject(WORKFLOW_DEFINITION_MAX_BYTES)
  definition?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: WORKFLOW_STATUSES })
  @IfPresent()
  @IsIn(WORKFLOW_STATUSES)
  status?: WorkflowStatus;
}

/** Body of `POST /workflows`. */
export class CreateWorkflowDto {
  @ApiProperty({ format: 'uuid', description: 'Agent the workflow belongs to' })
  @IsUUID()
  agent_id: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    default: {},
    description: 'Steps of the workflow (JSON object, at most 64 KiB serialized)',
  })
  @IfPresent()
  @IsJsonObject(WORKFLOW_DEFINITION_MAX_BYTES)
  definition?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: WORKFLOW_STATUSES, default: 'draft' })
  @IfPresent()
  @IsIn(WORKFLOW_STATUSES)
  status?: WorkflowStatus;
}
