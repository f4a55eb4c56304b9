import type { Lsn } from './lsn';

/** What the monitor last saw of one replica. */
export interface ReplicaState {
  /** `replica-<index>`, in `DATABASE__REPLICA_URLS` order (never the URL: it carries a password). */
  readonly name: string;
  up: boolean;
  /** Replay position at the last check (it only moves forward, so this is a safe lower bound). */
  replayed?: Lsn;
  lagMs: number;
  /** Why it is skipped: `unreachable`, `lagging`, `not_standby`, or undefined when usable. */
  reason?: string;
}

/** Why a read went where it went (the `reason` label of `db_reads_total`). */
export type ReadReason =
  | 'lag_tolerant'
  | 'not_lag_tolerant'
  | 'wrote'
  | 'read_your_writes'
  | 'marks_unavailable'
  | 'no_healthy_replica';

/** Where one read goes: the primary, or the replica at `index`. */
export interface ReadTarget {
  index?: number;
  reason: ReadReason;
}

/** A replica that may serve reads at all: reachable, a standby, within the lag bound. */
export function isUsable(replica: ReplicaState, maxLagMs: number): boolean {
  return replica.up && replica.reason === undefined && replica.lagMs <= maxLagMs;
}

/**
 * The routing rule, in one place: a read goes to a usable replica only when the request tolerates
 * lag, wrote nothing, and the replica has replayed `required` (the caller's latest write and, for
 * a cache fill, the fleet's latest write); `required` undefined means the marks could not be read,
 * so the primary. Among candidates, the request's earlier replica (`preferred`, so the statements
 * of one response see one replica's state) or else the one `turn` rotates to.
 */
export function chooseReadTarget(
  demand: { lagTolerant: boolean; wrote: boolean; required: Lsn | undefined; preferred?: number },
  replicas: readonly ReplicaState[],
  maxLagMs: number,
  turn: number,
): ReadTarget {
  if (!demand.lagTolerant) {
    return { reason: 'not_lag_tolerant' };
  }
  if (demand.wrote) {
    return { reason: 'wrote' };
  }
  const usable = replicas
    .map((replica, index) => ({ replica, index }))
    .filter(({ replica }) => isUsable(replica, maxLagMs));
  if (usable.length === 0) {
    return { reason: 'no_healthy_replica' };
  }
  const { required } = demand;
  if (required === undefined) {
    return { reason: 'marks_unavailable' };
  }
  const caughtUp = usable.filter(({ replica }) => (replica.replayed ?? -1) >= required);
  if (caughtUp.length === 0) {
    return { reason: 'read_your_writes' };
  }
  const preferred = caughtUp.find(({ index }) => index === demand.preferred);
  return { index: (preferred ?? caughtUp[turn % caughtUp.length]).index, reason: 'lag_tolerant' };
}
