import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, Public, Roles } from '../../auth';
import type { Principal } from '../../auth';
import { ManagementServer } from '../management/management-server';
import { PerformanceService } from '../stats/performance.service';
import { PerformanceHealthResponse } from '../stats/performance.dto';
import { ProbeResponse, toProbeResponse } from './health.dto';
import { ProbeResult, ProbesService } from './probes.service';

const isAdmin = (user?: Principal): boolean => user?.role === 'admin';

/**
 * Kubernetes probes (public, status only; details for admins, and with a management port only
 * there) and the performance summary.
 */
@ApiTags('monitoring')
@Controller('health')
export class HealthController {
  constructor(
    private readonly probes: ProbesService,
    private readonly performance: PerformanceService,
    private readonly management: ManagementServer,
  ) {}

  @Public()
  @Get('live')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: process and event loop only, no dependencies' })
  @ApiOkResponse({ type: ProbeResponse })
  @ApiServiceUnavailableResponse({ type: ProbeResponse })
  live(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentUser() user?: Principal,
  ) {
    return this.answer(request, reply, this.probes.live(), user);
  }

  @Public()
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Readiness: required dependencies up (others only degrade it)' })
  @ApiOkResponse({ type: ProbeResponse, description: '`ok` or `degraded`' })
  @ApiServiceUnavailableResponse({ type: ProbeResponse, description: '`down` or `shutting_down`' })
  async ready(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentUser() user?: Principal,
  ) {
    return this.answer(request, reply, await this.probes.ready(), user);
  }

  @Public()
  @Get('startup')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Startup: 503 until bootstrap (migrations, queue handlers) is done' })
  @ApiOkResponse({ type: ProbeResponse })
  @ApiServiceUnavailableResponse({ type: ProbeResponse })
  startup(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentUser() user?: Principal,
  ) {
    return this.answer(request, reply, this.probes.started(), user);
  }

  @Roles('admin')
  @Get('performance')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Headline performance numbers (admin)' })
  @ApiOkResponse({ type: PerformanceHealthResponse })
  async performanceHealth(): Promise<PerformanceHealthResponse> {
    return (await this.performance.summary()) as unknown as PerformanceHealthResponse;
  }

  private answer(
    request: FastifyRequest,
    reply: FastifyReply,
    result: ProbeResult,
    user?: Principal,
  ): ProbeResponse {
    void reply.status(result.httpStatus);
    const details = isAdmin(user) && this.management.showsDetails(request.raw);
    return toProbeResponse(result.status, result.details, details);
  }
}
