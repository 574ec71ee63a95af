/**
 * Exponential backoff with jitter for reconnecting watches, in two regimes:
 * - the server answered with a failure (5xx, 403, a watch that ends at once): client-go's
 *   reflector backoff, 800 ms doubling to 30 s, so a failing server is not hammered;
 * - the server could not be reached (connection refused or reset, a stream cut): the same
 *   growth capped at `unreachableMaxMs` (1 s), so a restarted server is seen within about a
 *   second of being ready.
 *
 * Contract: the owner calls `reset()` when the server is back (a complete list, a watch that
 * delivered an event), so one outage never inherits the delays of the previous one. A change
 * of regime starts the count again. Without a reset, a failure `resetAfterMs` after the
 * previous one also starts again.
 */
import type { Clock } from '../workqueue/clock.ts';

export interface BackoffOptions {
  /** First delay; default 800 ms. */
  readonly initialMs?: number;
  /** Largest delay after failures the server answered (5xx, 403, ...); default 30 000 ms. */
  readonly maxMs?: number;
  /**
   * Largest delay while the server cannot be reached at all (connection refused or reset):
   * how late a restarted server is noticed at most. Default 1 000 ms.
   */
  readonly unreachableMaxMs?: number;
  /** Growth per consecutive failure; default 2. */
  readonly factor?: number;
  /**
   * Fraction of each delay that is randomised, in [0, 1]; default 0.5: a delay `d` becomes a
   * value in `[d * (1 - jitter), d]`, so watchers that failed together do not retry together.
   */
  readonly jitter?: number;
  /** A failure this long after the previous one starts again from `initialMs`; default 120 000 ms. */
  readonly resetAfterMs?: number;
}

/** Which regime a failure belongs to (see the module comment). */
export type BackoffRegime = 'answered' | 'unreachable';

export interface Backoff {
  /** The delay before the next attempt after a failure now. */
  next(regime?: BackoffRegime): number;
  /** Forgets past failures: the server is back. */
  reset(): void;
  /** Consecutive failures counted since the last reset. */
  readonly attempts: number;
}

export function createBackoff(options: BackoffOptions, clock: Clock, random: () => number): Backoff {
  const initialMs = options.initialMs ?? 800;
  const maxMs = options.maxMs ?? 30_000;
  const unreachableMaxMs = options.unreachableMaxMs ?? Math.min(1_000, maxMs);
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.5;
  const resetAfterMs = options.resetAfterMs ?? 120_000;
  if (
    !(initialMs > 0) ||
    !(maxMs >= initialMs) ||
    !(unreachableMaxMs > 0 && unreachableMaxMs <= maxMs) ||
    !(factor >= 1) ||
    !(jitter >= 0 && jitter <= 1)
  ) {
    throw new RangeError(
      `invalid backoff options ${JSON.stringify(options)}: need initialMs > 0, maxMs >= initialMs, 0 < unreachableMaxMs <= maxMs, factor >= 1, 0 <= jitter <= 1`,
    );
  }
  let attempts = 0;
  let lastFailureAt: number | undefined;
  let lastRegime: BackoffRegime | undefined;
  return {
    get attempts() {
      return attempts;
    },
    next(regime = 'answered') {
      const now = clock.now();
      if (lastFailureAt !== undefined && now - lastFailureAt >= resetAfterMs) attempts = 0;
      if (lastRegime !== undefined && lastRegime !== regime) attempts = 0;
      lastFailureAt = now;
      lastRegime = regime;
      const cap = regime === 'unreachable' ? unreachableMaxMs : maxMs;
      const base = Math.min(cap, initialMs * factor ** attempts);
      attempts++;
      return Math.round(base * (1 - jitter * random()));
    },
    reset() {
      attempts = 0;
      lastFailureAt = undefined;
      lastRegime = undefined;
    },
  };
}
