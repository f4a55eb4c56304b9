import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { appConfig } from '../../config';
import { monitoringConfig } from '../monitoring.config';
import { hasMetricsToken } from './metrics-token';
import { MetricsService } from './metrics.service';

/** Path Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/**
 * Serves the registry at `GET /metrics` as a plain Fastify route, outside Nest's guards:
 * the JWT guard would reject Prometheus' static bearer token. With `MONITORING__METRICS_TOKEN`
 * set, the route requires `Authorization: Bearer <token>`. Production refuses to boot without
 * it unless `MONITORING__METRICS_PUBLIC=true` (see MonitoringEnv); then the route is open (keep
 * it off public ingress) and the boot logs a warning.
 */
@Injectable()
export class MetricsRoute implements OnModuleInit {
  private readonly logger = new Logger(MetricsRoute.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
    @Inject(monitoringConfig.KEY) private readonly config: ConfigType<typeof monitoringConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!this.config.metricsEnabled || !fastify) {
      return;
    }
    const token = this.config.metricsToken;
    if (!token && this.app.isProduction) {
      this.logger.warn(
        'MONITORING__METRICS_PUBLIC=true and no MONITORING__METRICS_TOKEN: /metrics is open to any caller',
      );
    }
    fastify.get(METRICS_PATH, async (request, reply) => {
      void reply.header('Cache-Control', 'no-store');
      if (token && !hasMetricsToken(request.headers.authorization, token)) {
        void reply.header('WWW-Authenticate', 'Bearer');
        return reply.code(401).send({ statusCode: 401, message: 'Unauthorized' });
      }
      const { contentType, body } = await this.metrics.scrape();
      return reply.type(contentType).send(body);
    });
  }
}
