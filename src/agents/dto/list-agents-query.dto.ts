import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AGENT_LIST_DEFAULT_LIMIT, AGENT_LIST_MAX_LIMIT } from '../agents.constants';

/** Query of `GET /agents`. */
export class ListAgentsQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: AGENT_LIST_MAX_LIMIT,
    default: AGENT_LIST_DEFAULT_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AGENT_LIST_MAX_LIMIT)
  limit: number = AGENT_LIST_DEFAULT_LIMIT;
}
