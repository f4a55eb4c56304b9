import { ApiProperty } from '@nestjs/swagger';

/** `/health/performance`: headline numbers of each platform module. */
export class PerformanceHealthResponse {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 92.5,
    description: 'Cache hit rate in percent; null until the caching module is enabled',
  })
  cache_hit_rate: number | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { external_llm: 'closed' },
    description: 'Breaker state by name; `{ "enabled": false }` until breakers exist',
  })
  circuit_breakers: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { size: 10, idle: 8, in_use: 2, waiting: 0, min: 10, max: 20 },
  })
  database_pool: Record<string, unknown>;
}

/** `/performance/stats`: one section per platform module. */
export class PerformanceStatsResponse {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { enabled: false } })
  cache: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { enabled: false } })
  circuit_breakers: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true })
  database: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { enabled: false } })
  queues: Record<string, unknown>;
}
