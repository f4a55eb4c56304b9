import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const PROBE_STATUSES = ['ok', 'degraded', 'down', 'shutting_down', 'starting'];

/** A probe answer: status only, plus details for admins. */
export class ProbeResponse {
  @ApiProperty({
    enum: PROBE_STATUSES,
    example: 'ok',
    description: '`degraded` (HTTP 200): a non-required dependency is down',
  })
  status: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Per-check results with response times; only for a caller with role admin',
  })
  details?: Record<string, unknown>;
}

/** A probe body: details only when the caller may see them. */
export function toProbeResponse(
  status: string,
  details: Record<string, unknown>,
  showDetails: boolean,
): ProbeResponse {
  return showDetails ? { status, details } : { status };
}
