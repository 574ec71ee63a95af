/**
 * Exponential backoff with jitter for reconnecting watches (client-go's reflector backoff):
 * 800 ms doubling to 30 s, reset once the connection has been healthy for 2 minutes.
 */
import type { Clock } from '../workqueue/clock.ts';

export interface BackoffOptions {
  /** First delay; default 800 ms. */
  readonly initialMs?: number;
  /** Largest delay; default 30 000 ms. */
  readonly maxMs?: number;
  /** Growth per consecutive failure; default 2. */
  readonly factor?: number;
  /**
   * Fraction of each delay that is randomised, in [0, 1]; default 0.2: a delay `d` becomes a
   * value in `[d * (1 - jitter), d]`, so watchers that failed together do not retry together.
   */
  readonly jitter?: number;
  /** A failure this long after the previous one starts again from `initialMs`; default 120 000 ms. */
  readonly resetAfterMs?: number;
}

export interface Backoff {
  /** The delay before the next attempt after a failure now. */
  next(): number;
  /** Forgets past failures (e.g. after a healthy period). */
  reset(): void;
  /** Consecutive failures counted since the last reset. */
  readonly attempts: number;
}

export function createBackoff(options: BackoffOptions, clock: Clock, random: () => number): Backoff {
  const initialMs = options.initialMs ?? 800;
  const maxMs = options.maxMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.2;
  const resetAfterMs = options.resetAfterMs ?? 120_000;
  if (!(initialMs > 0) || !(maxMs >= initialMs) || !(factor >= 1) || !(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(
      `invalid backoff options ${JSON.stringify(options)}: need initialMs > 0, maxMs >= initialMs, factor >= 1, 0 <= jitter <= 1`,
    );
  }
  let attempts = 0;
  let lastFailureAt: number | undefined;
  return {
    get attempts() {
      return attempts;
    },
    next() {
      const now = clock.now();
      if (lastFailureAt !== undefined && now - lastFailureAt >= resetAfterMs) attempts = 0;
      lastFailureAt = now;
      const base = Math.min(maxMs, initialMs * factor ** attempts);
      attempts++;
      return Math.round(base * (1 - jitter * random()));
    },
    reset() {
      attempts = 0;
      lastFailureAt = undefined;
    },
  };
}
