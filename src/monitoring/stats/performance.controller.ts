import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth';
import { PerformanceStatsResponse } from './performance.dto';
import { PerformanceService } from './performance.service';

/** `GET /performance/stats` (admin): cache, circuit breakers, database and queues. */
@ApiTags('monitoring')
@Controller('performance')
export class PerformanceController {
  constructor(private readonly performance: PerformanceService) {}

  @Roles('admin')
  @Get('stats')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Performance statistics of every platform module (admin)' })
  @ApiOkResponse({ type: PerformanceStatsResponse })
  async stats(): Promise<PerformanceStatsResponse> {
    return (await this.performance.stats()) as unknown as PerformanceStatsResponse;
  }
}
