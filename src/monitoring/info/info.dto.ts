import { ApiProperty } from '@nestjs/swagger';

/** Build and runtime facts of this instance (no hostnames or addresses). */
export class InfoResponse {
  @ApiProperty({ example: 'agentic-engine-api' })
  name: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ example: '93b1f75', description: 'Git revision of the build, or "unknown"' })
  git_revision: string;

  @ApiProperty({ example: 'v20.20.2' })
  node_version: string;

  @ApiProperty({ example: '2025-01-01T00:00:00.000Z', format: 'date-time' })
  started_at: string;

  @ApiProperty({ example: 3600.5, description: 'Seconds since the process started' })
  uptime_seconds: number;
}

/** Maps instance facts to the wire shape. */
export function toInfoResponse(info: {
  name: string;
  version: string;
  gitRevision: string;
  startedAt: Date;
}): InfoResponse {
  return {
    name: info.name,
    version: info.version,
    git_revision: info.gitRevision,
    node_version: process.version,
    started_at: info.startedAt.toISOString(),
    uptime_seconds: Math.round(process.uptime() * 10) / 10,
  };
}
