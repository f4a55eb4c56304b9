import type { Job, Queue } from 'bull';

/**
 * Counts a run when it starts, in the job hash Bull already keeps, in one round trip.
 *
 * Bull's `attemptsMade` only counts failed runs and a stall never touches it, so `attempts`
 * read 0 for a job that completed or whose worker died. Here `attemptsMade` counts every run
 * started (a run its worker died under included); the lookup reads it with the rest of the hash.
 * Bull's `stalledCounter` (how often the stalled check found the job's worker dead) comes back
 * in the same reply: see {@link startAttempt} for why it widens the failure budget.
 */
const START = `
if redis.call("EXISTS", KEYS[1]) == 0 then return nil end
local made = redis.call("HINCRBY", KEYS[1], "attemptsMade", 1)
local stalls = tonumber(redis.call("HGET", KEYS[1], "stalledCounter") or "0") or 0
return {made, stalls}
`;

/** The script as a command of the queue's client: EVALSHA (EVAL once after a NOSCRIPT). */
const COMMAND = 'agenticStartAttempt';
type StartClient = Queue['client'] & {
  [COMMAND]: (jobKey: string) => Promise<[number, number] | null>;
};

function startClient(queue: Queue): StartClient {
  const client = queue.client as Partial<StartClient> & Queue['client'];
  if (!client[COMMAND]) {
    client.defineCommand(COMMAND, { numberOfKeys: 1, lua: START });
  }
  return client as StartClient;
}

/**
 * Records that a run of `job` starts and returns its number (1 on the first run).
 *
 * A worker's death does not spend the job's failure budget: Bull retries while
 * `attemptsMade < opts.attempts`, and `attemptsMade` now includes stalled runs, so the budget of
 * this run (in memory only, never written back) is the task's attempts plus the stalls so far.
 * Stalls have their own limit, `QUEUES__MAX_STALLED_COUNT` (Bull's stalled check). Why not one
 * budget for both: a worker dies for reasons outside the job (a deploy, an OOM kill of the pod,
 * a lost node), so with 3 attempts an unlucky job caught by three deaths in a row would fail
 * for good though nothing is wrong with it; a job that kills every worker that takes it is
 * stopped by the stall limit.
 */
export async function startAttempt(queue: Queue, job: Job): Promise<number> {
  const reply = await startClient(queue)[COMMAND](queue.toKey(String(job.id)));
  if (!reply) {
    // Removed while active (an operator's clean): nothing to count, Bull fails the run anyway.
    return job.attemptsMade + 1;
  }
  const [made, stalls] = reply.map(Number);
  // Bull adds 1 to the in-memory count when the run fails and writes it back: `made` again.
  job.attemptsMade = made - 1;
  job.opts.attempts = (job.opts.attempts ?? 1) + stalls;
  return made;
}
