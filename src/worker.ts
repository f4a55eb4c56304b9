import './v8-defaults';
import 'reflect-metadata';
import type { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { exitOnBootFailure } from './bootstrap';
import { GracefulShutdown, monitoringConfig, ShutdownState } from './monitoring';
import { queuesConfig } from './queues';
import { WorkerModule } from './worker.module';

// `npm run start:worker`: runs the queue processors only, so workers scale apart from the API
// (which can run with QUEUES__PROCESS=false). SIGTERM drains the workers (see QueuesLifecycle)
// and exits 0.
async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(await WorkerModule.forRoot(), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  if (!app.get<ConfigType<typeof queuesConfig>>(queuesConfig.KEY).process) {
    throw new Error('The worker needs QUEUES__PROCESS=true (set false only on API processes)');
  }
  await app.init();
  const monitoring = app.get<ConfigType<typeof monitoringConfig>>(monitoringConfig.KEY);
  new GracefulShutdown({
    state: app.get(ShutdownState),
    drainMs: 0,
    timeoutMs: monitoring.shutdownTimeoutMs,
    stopAccepting: () => Promise.resolve(true),
    close: () => app.close(),
  }).listen();
}

bootstrap().catch((error: unknown) => exitOnBootFailure('Worker boot failed', error));
