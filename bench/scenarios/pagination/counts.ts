import type { BenchApp } from '../../lib/bench-app';
import { compareLoads, loadInRounds, RoundsOptions } from '../../lib/load-rounds';
import type { Measurement } from '../../lib/scenario';

const STRATEGIES = ['exact', 'estimate', 'capped', 'cached', 'none'] as const;

/**
 * Page 1 (size 20) with each count strategy, next to `exact` in the same rounds. Every request
 * is an admin's: `count=exact` is answered as `capped` for anyone else.
 */
export async function countStrategies(app: BenchApp, load: RoundsOptions): Promise<Measurement[]> {
  const url = (count: string) => `${app.baseUrl}/agents?page=1&size=20&count=${count}`;
  // Fill the count cache and check it answers, so `cached` is measured warm.
  const headers = app.headers('admin');
  await fetch(url('cached'), { headers });
  const exactAnswer = (await (await fetch(url('exact'), { headers })).json()) as {
    metadata?: { count_strategy?: string };
  };
  if (exactAnswer.metadata?.count_strategy !== 'exact') {
    throw new Error(`count=exact answered ${JSON.stringify(exactAnswer.metadata)} to an admin`);
  }
  const warm = (await (await fetch(url('cached'), { headers })).json()) as {
    metadata?: { count_strategy?: string };
  };
  if (warm.metadata?.count_strategy !== 'cached') {
    throw new Error(`count=cached answered ${JSON.stringify(warm.metadata)}; is Redis up?`);
  }
  const results = await loadInRounds(
    STRATEGIES.map((count) => ({ label: `count=${count}`, url: url(count), headers })),
    load,
  );
  const exact = results[0];
  return STRATEGIES.slice(1).flatMap((count, index) =>
    compareLoads(
      `count-${count}-vs-exact`,
      results[index + 1],
      exact,
      count === 'cached' ? 'warm Redis count cache (nothing written meanwhile)' : '',
    ),
  );
}
