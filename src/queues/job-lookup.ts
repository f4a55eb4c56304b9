import Bull, { Job, JobStatus, Queue } from 'bull';

/**
 * A job's hash and its state in one round trip (Bull's `getJob` + `getState` take up to seven,
 * one after another). States are checked in Bull's order; LPOS needs Redis >= 6.0.6.
 */
const LOOKUP = `
local hash = redis.call("HGETALL", KEYS[1])
if #hash == 0 then return nil end
local id = ARGV[1]
local state = "stuck"
if redis.call("ZSCORE", KEYS[2], id) then state = "completed"
elseif redis.call("ZSCORE", KEYS[3], id) then state = "failed"
elseif redis.call("ZSCORE", KEYS[4], id) then state = "delayed"
elseif redis.call("LPOS", KEYS[5], id) then state = "active"
elseif redis.call("LPOS", KEYS[6], id) then state = "waiting"
elseif redis.call("LPOS", KEYS[7], id) then state = "paused"
end
return {state, hash}
`;

type JobFromJson = (queue: Queue, json: Record<string, string>, jobId: string) => Job;

/** The job and its state, or null when the id is unknown or the job was removed (retention). */
export async function lookupJob(
  queue: Queue,
  id: string,
): Promise<{ job: Job; state: JobStatus | 'stuck' } | null> {
  const keys = (queue as unknown as { keys: Record<string, string> }).keys;
  const reply = (await queue.client.eval(
    LOOKUP,
    7,
    queue.toKey(id),
    keys.completed,
    keys.failed,
    keys.delayed,
    keys.active,
    keys.wait,
    keys.paused,
    id,
  )) as [JobStatus | 'stuck', string[]] | null;
  if (!reply) {
    return null;
  }
  const [state, flat] = reply;
  const json: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) {
    json[flat[i]] = flat[i + 1];
  }
  const fromJson = (Bull as unknown as { Job: { fromJSON: JobFromJson } }).Job.fromJSON;
  return { job: fromJson(queue, json, id), state };
}
