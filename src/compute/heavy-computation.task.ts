import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Task, type TaskContext } from '../queues';
import { COMPUTE_QUEUE, HEAVY_COMPUTATION, HEAVY_COMPUTATION_OPTIONS } from './compute.constants';
import { ComputeRequestDto } from './compute.dto';
import { heavyComputation, type HeavyComputationResult } from './heavy-computation';

/** Job data of `heavy_computation`: the input and who asked. */
export interface HeavyComputationJob {
  owner_id: string;
  numbers: number[];
  iterations: number;
}

/** The `heavy_computation` handler. Pure on its input, so running it twice is harmless. */
@Injectable()
export class HeavyComputationTask {
  @Task(HEAVY_COMPUTATION, { queue: COMPUTE_QUEUE, ...HEAVY_COMPUTATION_OPTIONS })
  async run(data: HeavyComputationJob, task: TaskContext): Promise<HeavyComputationResult> {
    // Jobs may come from any producer: validate again, naming the bad field.
    const input = plainToInstance(ComputeRequestDto, {
      numbers: data?.numbers,
      iterations: data?.iterations,
    });
    const [problem] = validateSync(input);
    if (problem) {
      throw new Error(`Invalid job data: ${Object.values(problem.constraints ?? {}).join('; ')}`);
    }
    return heavyComputation(input, (percent) => task.progress(percent));
  }
}
