const SAMPLE_MS = 10;
/** Lag under which a sample counts as settled. */
const SETTLED_LAG_MS = 20;
const SETTLED_SAMPLES = 3;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the event loop is responsive (three 10 ms timers in a row fire less than 20 ms
 * late), for at most `maxWaitMs`. While the loop is blocked (a large body being parsed or
 * validated), accepted connections and request bytes wait unread in the kernel; closing the
 * listener or judging connections idle then would reset them.
 *
 * @returns whether the loop settled in time.
 */
export async function waitForSettledLoop(maxWaitMs: number): Promise<boolean> {
  const deadline = Date.now() + maxWaitMs;
  let settled = 0;
  while (settled < SETTLED_SAMPLES) {
    if (Date.now() >= deadline) {
      return false;
    }
    const before = performance.now();
    await sleep(SAMPLE_MS);
    settled = performance.now() - before - SAMPLE_MS < SETTLED_LAG_MS ? settled + 1 : 0;
  }
  return true;
}
