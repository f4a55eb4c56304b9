import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { QUEUE_CONNECTIONS } from './queues.constants';
import { queuesConfig } from './queues.config';
import type { QueueConnections } from './queue-connections';
import { QueueRegistry } from './queue.registry';

/**
 * Shutdown of the queues. Before any provider closes (Redis, the database stay up), every
 * local worker stops taking jobs and its running jobs get `QUEUES__SHUTDOWN_TIMEOUT_MS` to
 * finish; the ones still running are handed back to the queue, so none stays `active`.
 * Producers keep working through the drain (a job may enqueue follow-ups, nestjs/bull#2069).
 * Last, after @nestjs/bull closed the queues, the shared connection set is closed.
 */
@Injectable()
export class QueuesLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Queues');

  constructor(
    private readonly registry: QueueRegistry,
    @Inject(QUEUE_CONNECTIONS) private readonly connections: QueueConnections,
    @Inject(queuesConfig.KEY) private readonly config: ConfigType<typeof queuesConfig>,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    const processing = this.registry.list().filter(({ worker }) => worker.isProcessing);
    if (processing.length === 0) {
      return;
    }
    this.logger.log(`Draining ${processing.length} queue worker(s)`);
    await Promise.all(
      processing.map(({ worker }) =>
        worker.drain(this.config.shutdownTimeoutMs).catch((error: Error) => {
          this.logger.error(`Queue "${worker.name}" did not drain: ${error.message}`);
        }),
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connections.close();
  }
}
