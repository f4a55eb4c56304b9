import type { Lsn } from './lsn';

interface Sample {
  at: number;
  lsn: Lsn;
}

/**
 * Replica lag in time, from the primary's WAL position sampled over time: a replica that replayed
 * up to `R` is as far behind as the time since the primary was first seen past `R`. Unlike
 * `now() - pg_last_xact_replay_timestamp()`, this stays 0 on an idle primary (nothing to replay)
 * and grows as soon as a write is not replayed, whatever the age of the previous commit.
 * Precision: one sampling interval (the primary may have passed `R` just after a sample).
 */
export class LagEstimator {
  private readonly samples: Sample[] = [];

  /** @param horizonMs samples older than this are dropped (lag is capped there). */
  constructor(private readonly horizonMs: number) {}

  /** Records the primary's current WAL position at `at` (ms). */
  primaryAt(lsn: Lsn, at: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && last.lsn >= lsn) {
      return; // only the first time each position was seen matters
    }
    this.samples.push({ at, lsn });
    while (this.samples.length > 2 && this.samples[1].at < at - this.horizonMs) {
      this.samples.shift();
    }
  }

  /** Milliseconds the replay position `replayed` is behind, as of `now`. */
  lagMs(replayed: Lsn, now: number): number {
    const behind = this.samples.find((sample) => sample.lsn > replayed);
    return behind ? Math.max(0, now - behind.at) : 0;
  }
}
