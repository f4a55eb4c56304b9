import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** `GET /external-data`: the upstream's JSON, or the last good copy when it is unavailable. */
export class ExternalDataResponseDto {
  @ApiProperty({
    enum: ['live', 'cached'],
    description: 'live: fresh from upstream; cached: last good response',
  })
  status: 'live' | 'cached';

  @ApiProperty({
    description: 'The upstream JSON (null when no good response was ever seen)',
    nullable: true,
  })
  data: unknown;

  @ApiPropertyOptional({
    description: 'When the data was fetched from upstream (ISO 8601)',
    nullable: true,
    type: String,
  })
  fetched_at: string | null;
}
