import { Inject } from '@nestjs/common';
import { getJobQueueToken } from '../queues.constants';

/**
 * Injects the {@link JobQueue} of a queue registered with `QueuesModule.registerQueue`.
 *
 * @example
 * ```ts
 * constructor(@InjectJobQueue('compute') private readonly queue: JobQueue) {}
 * ```
 * @publicApi
 */
export const InjectJobQueue = (name: string): ParameterDecorator => Inject(getJobQueueToken(name));
