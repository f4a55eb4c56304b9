import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth';
import { CircuitBreakerManager } from './circuit-breaker.manager';

/** Admin view and control of the circuit breakers. */
@ApiTags('resilience')
@Roles('admin')
@Controller('resilience/breakers')
export class ResilienceController {
  constructor(private readonly manager: CircuitBreakerManager) {}

  @Get()
  @ApiOperation({ summary: 'Metrics of every circuit breaker (get_all_metrics)' })
  @ApiOkResponse({
    description: 'Breaker name -> state, counts, failure rate, latency buckets, config',
  })
  list(): Record<string, Record<string, unknown>> {
    return this.manager.getAllMetrics();
  }

  @Post(':name/open')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Force a breaker open (every call rejected) until reset' })
  @ApiNotFoundResponse()
  open(@Param('name') name: string): Record<string, unknown> {
    const breaker = this.manager.require(name);
    breaker.forceOpen();
    return breaker.metrics();
  }

  @Post(':name/close')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Force a breaker closed (disabled: calls always go through) until reset',
  })
  @ApiNotFoundResponse()
  close(@Param('name') name: string): Record<string, unknown> {
    const breaker = this.manager.require(name);
    breaker.disable();
    return breaker.metrics();
  }

  @Post(':name/reset')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Clear overrides and close a breaker' })
  @ApiNotFoundResponse()
  reset(@Param('name') name: string): Record<string, unknown> {
    const breaker = this.manager.require(name);
    breaker.reset();
    return breaker.metrics();
  }
}
