import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { appConfig } from '../../config';
import { ProbeResult, ProbesService } from '../health/probes.service';
import { hasMetricsToken } from '../metrics/metrics-token';
import { METRICS_PATH } from '../metrics/metrics.route';
import { MetricsService } from '../metrics/metrics.service';
import { monitoringConfig } from '../monitoring.config';

type Route = (request: IncomingMessage) => Promise<{ status: number; type: string; body: string }>;

const json = ({ httpStatus, status }: ProbeResult) => ({
  status: httpStatus,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify({ status }),
});

/**
 * The worker process's HTTP listener on `MONITORING__WORKER_PORT`: the API's probes (status only,
 * no details: nobody is signed in here) and `/metrics` (same token rule), answered by the same
 * ProbesService and MetricsService. A plain `node:http` server: a worker has no Nest HTTP
 * adapter, and these four routes need none. Closed at shutdown, after readiness turned 503.
 */
@Injectable()
export class WorkerListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerListener');
  private readonly routes = new Map<string, Route>();
  private server?: Server;

  constructor(
    private readonly probes: ProbesService,
    private readonly metrics: MetricsService,
    @Inject(monitoringConfig.KEY) private readonly config: ConfigType<typeof monitoringConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {
    this.routes.set('/health/live', () => Promise.resolve(json(this.probes.live())));
    this.routes.set('/health/ready', async () => json(await this.probes.ready()));
    this.routes.set('/health/startup', () => Promise.resolve(json(this.probes.started())));
    if (config.metricsEnabled) {
      this.routes.set(METRICS_PATH, (request) => this.scrape(request));
    }
  }

  /** The bound port (0 when off). */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.workerPort === 0) {
      return;
    }
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.workerPort, this.app.host, () => resolve());
    });
    this.server = server;
    this.logger.log({ msg: 'Worker probes and metrics listening', port: this.port });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const route = request.method === 'GET' ? this.routes.get(path) : undefined;
    const answer = route
      ? await route(request).catch(() => ({ status: 500, type: 'text/plain', body: 'error' }))
      : { status: 404, type: 'application/json; charset=utf-8', body: '{"statusCode":404}' };
    response.writeHead(answer.status, {
      'Content-Type': answer.type,
      'Cache-Control': 'no-store',
      ...(answer.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}),
    });
    response.end(answer.body);
  }

  private async scrape(request: IncomingMessage) {
    const token = this.config.metricsToken;
    if (token && !hasMetricsToken(request.headers.authorization, token)) {
      return { status: 401, type: 'application/json; charset=utf-8', body: '{"statusCode":401}' };
    }
    const { contentType, body } = await this.metrics.scrape();
    return { status: 200, type: contentType, body };
  }
}
