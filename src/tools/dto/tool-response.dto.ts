import { ApiProperty } from '@nestjs/swagger';
import { ToolEntity } from '../tool.entity';

/** A tool. */
export class ToolResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ example: 'function' })
  kind: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  config: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at: string;
}

/** Maps a tool row to its response. */
export function toToolResponse(tool: ToolEntity): ToolResponseDto {
  return {
    id: tool.id,
    name: tool.name,
    description: tool.description,
    kind: tool.kind,
    config: tool.config,
    // What JSON.stringify made of the Date: the wire type is the ISO string.
    created_at: tool.createdAt.toISOString(),
    updated_at: tool.updatedAt.toISOString(),
  };
}
