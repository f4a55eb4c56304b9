import type { Queue } from 'bull';

/**
 * Moves jobs this worker still holds from `active` back to the front of `wait` (or `paused`),
 * releasing their locks, in one atomic script. Only jobs whose lock carries this queue's token
 * move, so a job another worker re-took after a stall stays with it. The run handed back is
 * taken off `attemptsMade` (counted when it started, see job-attempts.ts): a shutdown is neither
 * the job's failure nor a stall, so a long job does not lose an attempt per rolling deploy.
 */
const HAND_BACK = `
local moved = 0
local target = KEYS[2]
if redis.call("EXISTS", KEYS[4]) == 1 then target = KEYS[3] end
for i = 3, #ARGV do
  local lockKey = ARGV[1] .. ARGV[i] .. ":lock"
  if redis.call("GET", lockKey) == ARGV[2] then
    redis.call("DEL", lockKey)
    if redis.call("LREM", KEYS[1], 1, ARGV[i]) > 0 then
      redis.call("RPUSH", target, ARGV[i])
      local jobKey = ARGV[1] .. ARGV[i]
      if (tonumber(redis.call("HGET", jobKey, "attemptsMade")) or 0) > 0 then
        redis.call("HINCRBY", jobKey, "attemptsMade", -1)
      end
      moved = moved + 1
    end
  end
end
return moved
`;

/**
 * Hands active jobs back to the queue so another worker runs them at once (instead of after the
 * stalled check): used when a shutdown's drain time is over. Returns how many moved.
 */
export async function handBackJobs(queue: Queue, jobIds: readonly string[]): Promise<number> {
  if (jobIds.length === 0) {
    return 0;
  }
  const internals = queue as unknown as { keys: Record<string, string>; token: string };
  const { active, wait, paused } = internals.keys;
  const moved = await queue.client.eval(
    HAND_BACK,
    4,
    active,
    wait,
    paused,
    queue.toKey('meta-paused'),
    queue.toKey(''),
    internals.token,
    ...jobIds,
  );
  return Number(moved);
}
