/**
 * Leader election timing and its validation. The three durations are linked: a leader must
 * give up (renew deadline) before its lease can expire in the eyes of the others (lease
 * duration), and must get several tries in before the deadline (retry period, jittered by up
 * to 1.2x while acquiring).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

/** client-go's `JitterFactor` for leader election retries. */
export const retryJitterFactor = 1.2;

export interface LeaderElectionTiming {
  /** How long a lease is valid without renewal; what standbys wait. Default 15 000 ms. */
  readonly leaseDurationMs: number;
  /** How long the leader keeps retrying a failed renewal before it stops leading. Default 10 000 ms. */
  readonly renewDeadlineMs: number;
  /** Wait between attempts to acquire or renew. Default 2 000 ms. */
  readonly retryPeriodMs: number;
}

export const defaultLeaderElectionTiming: LeaderElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

export type LeaderElectionConfigErrorReason = 'InvalidConfig';
export type LeaderElectionUsageErrorReason = 'AlreadyRunning' | 'ReleaseWhileRunning';

/** An elector method was called at a time it cannot work. */
export class LeaderElectionUsageError extends Error {
  readonly reason: LeaderElectionUsageErrorReason;
  constructor(reason: LeaderElectionUsageErrorReason, message: string) {
    super(message);
    this.name = 'LeaderElectionUsageError';
    this.reason = reason;
  }
}

/** The configuration cannot work; `problems` lists every issue found, each with its fix. */
export class LeaderElectionConfigError extends Error {
  readonly reason: LeaderElectionConfigErrorReason = 'InvalidConfig';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid leader election configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'LeaderElectionConfigError';
    this.problems = problems;
  }
}

/**
 * Checks `lease > renew > 1.2 x retry`, positive durations, whole-second leases (the Lease
 * stores seconds) and a non-empty identity. Throws a {@link LeaderElectionConfigError}
 * listing every problem; returns the timing otherwise.
 */
export function validateLeaderElectionTiming(
  timing: Partial<LeaderElectionTiming>,
  identity = 'unset',
): LeaderElectionTiming {
  const t: LeaderElectionTiming = {
    leaseDurationMs: timing.leaseDurationMs ?? defaultLeaderElectionTiming.leaseDurationMs,
    renewDeadlineMs: timing.renewDeadlineMs ?? defaultLeaderElectionTiming.renewDeadlineMs,
    retryPeriodMs: timing.retryPeriodMs ?? defaultLeaderElectionTiming.retryPeriodMs,
  };
  const problems: string[] = [];
  for (const key of ['leaseDurationMs', 'renewDeadlineMs', 'retryPeriodMs'] as const) {
    if (!Number.isFinite(t[key]) || t[key] <= 0) {
      problems.push(`${key} must be a positive number of milliseconds, got ${t[key]}`);
    }
  }
  if (problems.length === 0) {
    if (t.leaseDurationMs < 1000 || t.leaseDurationMs % 1000 !== 0) {
      problems.push(
        `leaseDurationMs must be a whole number of seconds (the Lease stores seconds), got ${t.leaseDurationMs}; use e.g. ${Math.max(1000, Math.ceil(t.leaseDurationMs / 1000) * 1000)}`,
      );
    }
    if (t.leaseDurationMs <= t.renewDeadlineMs) {
      problems.push(
        `leaseDurationMs (${t.leaseDurationMs}) must be greater than renewDeadlineMs (${t.renewDeadlineMs}): the leader has to stop before its lease can expire for the others; raise leaseDurationMs or lower renewDeadlineMs`,
      );
    }
    if (t.renewDeadlineMs <= retryJitterFactor * t.retryPeriodMs) {
      problems.push(
        `renewDeadlineMs (${t.renewDeadlineMs}) must be greater than ${retryJitterFactor} x retryPeriodMs (${retryJitterFactor * t.retryPeriodMs}): the leader needs more than one renewal attempt before the deadline; raise renewDeadlineMs or lower retryPeriodMs`,
      );
    }
  }
  if (identity.trim() === '') {
    problems.push(
      'identity must not be empty: it is how replicas tell the holder apart (default: hostname + random suffix)',
    );
  }
  if (problems.length > 0) throw new LeaderElectionConfigError(problems);
  return t;
}

/** `hostname_uuid`: unique per process, so a restarted replica never mistakes itself for the old holder. */
export function defaultLeaderIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}
