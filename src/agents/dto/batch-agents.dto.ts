import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { CreateAgentDto } from './create-agent.dto';
import { UpdateAgentFieldsDto } from './update-agent.dto';

/**
 * One item of `POST /agents/batch`: like `POST /agents` without `tool_ids` (sending it is a 400;
 * attach tools with `PUT /agents/{id}`).
 */
export class BatchCreateAgentItemDto extends OmitType(CreateAgentDto, ['tool_ids'] as const) {}

/** One item of `PUT /agents/batch`: the agent's id and the fields to change. */
export class BatchUpdateAgentItemDto extends UpdateAgentFieldsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  id: string;
}

/** Result of `POST /agents/batch`. */
export class BatchCreatedResponseDto {
  @ApiProperty({ description: 'Agents created (all items, or none on error)' })
  created: number;
}

/** Result of `PUT /agents/batch`. */
export class BatchUpdatedResponseDto {
  @ApiProperty({ description: 'Agents updated (all items, or none on error)' })
  updated: number;
}
