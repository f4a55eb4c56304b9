import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CacheInfo } from './response-cache.service';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** `POST /cache/invalidate` body: at least one of the fields. */
export class InvalidateCacheRequestDto {
  @ApiPropertyOptional({ description: 'Full cache key, as listed by SCAN' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  key?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['agents', 'agent:7d3f1c52-8a8e-4c8a-9d0e-2f1f0d7c6b5a'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    description: 'Glob inside the cache namespace, e.g. agents*',
    example: 'agents*',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(/^[A-Za-z0-9_:.*?[\]-]+$/, {
    message: 'pattern may contain letters, digits, _ : . - and the glob characters * ? [ ]',
  })
  pattern?: string;

  @ApiPropertyOptional({ example: 'agent_created' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, {
    message: 'event must be 1-128 letters, digits, _ . : or -',
  })
  event?: string;
}

/** `POST /cache/invalidate` result. */
export class InvalidateCacheResponseDto {
  @ApiProperty()
  invalidated: boolean;

  @ApiProperty({
    description:
      'Redis keys deleted by a pattern (tags and events delete nothing: they bump versions)',
  })
  deleted_keys: number;
}

/** `GET /cache/stats` result. */
export class CacheStatsResponseDto {
  @ApiProperty({
    description:
      'hit_rate_percent, total_requests, hits, misses, stale_hits, coalesced_waiters, bypasses, ...',
  })
  stats: Record<string, number | string>;

  @ApiProperty({ description: 'memory_used_mb, total_keys, evicted_keys, L1 size, Redis state' })
  info: CacheInfo;
}
