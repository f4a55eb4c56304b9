import { SpawnedApp, spawnLiveApp } from '../../helpers/spawn-app';

const REQUESTS = 2000;
const CONCURRENCY = 20;

describe('Logging to a stdout nobody reads (e2e, real process)', () => {
  let app: SpawnedApp;
  let baseUrl: string;

  beforeAll(async () => {
    ({ app, baseUrl } = await spawnLiveApp({ LOG_LEVEL: 'info' }));
  }, 90000);

  afterAll(async () => {
    app.child.stdout?.resume();
    app.child.kill('SIGTERM');
    await app.exited;
  });

  it('should keep serving while stdout is full, and write the lines once it drains', async () => {
    // Stop reading the app's stdout: the pipe fills after a few hundred access lines (~128 KB).
    app.child.stdout?.pause();
    let done = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        for (let i = worker; i < REQUESTS; i += CONCURRENCY) {
          const res = await fetch(`${baseUrl}/no-such-route/${i}`);
          await res.arrayBuffer();
          expect(res.status).toBe(404);
          done += 1;
        }
      }),
    );
    const pausedFor = Date.now() - started;
    // A synchronous logger would block the loop on the full pipe until we read again.
    expect(done).toBe(REQUESTS);
    expect(app.child.stdout?.isPaused()).toBe(true);

    app.child.stdout?.resume();
    const last = `/no-such-route/${REQUESTS - 1}"`;
    const deadline = Date.now() + 10_000;
    while (!app.output().includes(last) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([pausedFor < 60_000, app.output().includes(last)]).toEqual([true, true]);
  }, 90_000);
});
