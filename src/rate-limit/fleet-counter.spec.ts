import type Redis from 'ioredis';
import { FleetCounter, WindowPolicy } from './fleet-counter';

/** A Redis stand-in whose counters the test can also bump as "another instance". */
class FakeRedis {
  status = 'ready';
  fail = false;
  readonly values = new Map<string, number>();

  pipeline() {
    const ops: Array<() => [Error | null, unknown]> = [];
    const chain = {
      incrby: (key: string, by: number) => {
        ops.push(() => {
          const next = (this.values.get(key) ?? 0) + by;
          this.values.set(key, next);
          return [null, next];
        });
        return chain;
      },
      pexpire: () => {
        ops.push(() => [null, 1]);
        return chain;
      },
      exec: () =>
        this.fail
          ? Promise.reject(new Error('Command timed out'))
          : Promise.resolve(ops.map((op) => op())),
    };
    return chain;
  }
}

const policy: WindowPolicy = { id: 'all', limit: 5, windowMs: 10_000 };

describe(FleetCounter.name, () => {
  let redis: FakeRedis;
  let now: number;
  let counter: FleetCounter;

  beforeEach(() => {
    redis = new FakeRedis();
    now = 1_000_000; // a window boundary
    counter = new FleetCounter(redis as unknown as Redis, 'p:rl:', () => now);
  });

  it('should allow up to the limit, then refuse with the time left in the window', () => {
    const decisions = Array.from({ length: 7 }, () => counter.hit(policy, 'u:a'));

    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    expect(decisions[6].resetMs).toBe(10_000);
  });

  it('should count each subject and each policy apart', () => {
    for (let i = 0; i < 5; i++) {
      counter.hit(policy, 'u:a');
    }

    expect(counter.hit(policy, 'u:a').allowed).toBe(false);
    expect(counter.hit(policy, 'u:b').allowed).toBe(true);
    expect(counter.hit({ ...policy, id: 'route:GET /x' }, 'u:a').allowed).toBe(true);
  });

  it('should start over in the next window', () => {
    for (let i = 0; i < 6; i++) {
      counter.hit(policy, 'u:a');
    }
    now += 10_000;

    expect(counter.hit(policy, 'u:a')).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('should add its counts to Redis and learn what other instances counted', async () => {
    counter.hit(policy, 'u:a');
    counter.hit(policy, 'u:a');
    await counter.sync();
    const key = `p:rl:all:u:a:${now}`;
    expect(redis.values.get(key)).toBe(2);

    redis.values.set(key, 4); // another instance let 2 through
    counter.hit(policy, 'u:a');
    await counter.sync();

    expect(redis.values.get(key)).toBe(5);
    expect(counter.hit(policy, 'u:a').allowed).toBe(false);
  });

  it('should keep counting locally and count fail-open requests while Redis fails', async () => {
    redis.fail = true;
    counter.hit(policy, 'u:a');
    await counter.sync();

    const decisions = Array.from({ length: 5 }, () => counter.hit(policy, 'u:a'));

    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false]);
    expect(counter.stats).toMatchObject({ degraded: true, syncFailures: 1, failOpen: 4 });
  });

  it('should send nothing while the connection is not ready, then the counts of the outage too', async () => {
    redis.status = 'reconnecting';
    counter.hit(policy, 'u:a');
    await counter.sync();
    expect(redis.values.size).toBe(0);
    expect(counter.stats.degraded).toBe(true);

    redis.status = 'ready';
    counter.hit(policy, 'u:a');
    await counter.sync();

    expect(counter.stats.degraded).toBe(false);
    expect(redis.values.get(`p:rl:all:u:a:${now}`)).toBe(2);
    expect(counter.hit(policy, 'u:a').remaining).toBe(2);
  });

  it('should forget counters of ended windows at the next sync', async () => {
    counter.hit(policy, 'u:a');
    now += 10_000;

    await counter.sync();

    expect(counter.size).toBe(0);
  });
});
