/**
 * Rate limiters decide how long an item waits before it is retried. Each is a small value
 * implementing {@link RateLimiter}; {@link maxOf} combines them, and
 * {@link defaultControllerRateLimiter} is the combination controllers use by default
 * (client-go's `DefaultTypedControllerRateLimiter`).
 */
import { realClock, type Clock } from './clock.ts';

export interface RateLimiter<T> {
  /** How long (ms) to wait before retrying `item`; each call counts as one more failure. */
  when(item: T): number;
  /** Forgets `item`'s history (call after it is processed successfully). */
  forget(item: T): void;
  /** How many times `item` has been rate limited since it was last forgotten. */
  numRequeues(item: T): number;
}

export interface ExponentialFailureOptions {
  /** Delay after the first failure (default 5 ms). */
  readonly baseDelayMs?: number;
  /** Upper bound of the delay (default 1000 s). */
  readonly maxDelayMs?: number;
}

/**
 * Per-item exponential backoff: the n-th failure of an item (counting from 0) waits
 * `baseDelayMs * 2^n`, capped at `maxDelayMs`. `forget` resets the item.
 */
export function exponentialFailureRateLimiter<T>(options: ExponentialFailureOptions = {}): RateLimiter<T> {
  const baseDelayMs = options.baseDelayMs ?? 5;
  const maxDelayMs = options.maxDelayMs ?? 1_000_000;
  requireNonNegative('exponentialFailureRateLimiter', 'baseDelayMs', baseDelayMs);
  requireNonNegative('exponentialFailureRateLimiter', 'maxDelayMs', maxDelayMs);
  const failures = new Map<T, number>();
  return {
    when(item) {
      const exponent = failures.get(item) ?? 0;
      failures.set(item, exponent + 1);
      // 2 ** exponent becomes Infinity past 1023; the cap still applies.
      const delay = baseDelayMs * 2 ** exponent;
      return delay > maxDelayMs || !Number.isFinite(delay) ? maxDelayMs : delay;
    },
    forget(item) {
      failures.delete(item);
    },
    numRequeues(item) {
      return failures.get(item) ?? 0;
    },
  };
}

export interface TokenBucketOptions {
  /** Tokens added per second (default 10). */
  readonly qps?: number;
  /** Bucket size: how many retries may happen at once (default 100). */
  readonly burst?: number;
  readonly clock?: Clock;
}

/**
 * An overall limit shared by all items: a bucket of `burst` tokens refilled at `qps` per
 * second. Every `when` takes a token, and when the bucket is empty returns how long until
 * that token exists (reservations queue up, like `rate.Limiter.Reserve`). Items are not
 * tracked: `forget` does nothing and `numRequeues` is 0.
 */
export function tokenBucketRateLimiter<T>(options: TokenBucketOptions = {}): RateLimiter<T> {
  const qps = options.qps ?? 10;
  const burst = options.burst ?? 100;
  const clock = options.clock ?? realClock;
  if (!(qps > 0)) {
    throw new RangeError(`tokenBucketRateLimiter: qps must be greater than 0, got ${qps}`);
  }
  if (!Number.isInteger(burst) || burst < 1) {
    throw new RangeError(`tokenBucketRateLimiter: burst must be an integer >= 1, got ${burst}`);
  }
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      const now = clock.now();
      if (now > last) {
        tokens = Math.min(burst, tokens + ((now - last) / 1000) * qps);
        last = now;
      }
      tokens -= 1;
      return tokens >= 0 ? 0 : (-tokens / qps) * 1000;
    },
    forget: () => undefined,
    numRequeues: () => 0,
  };
}

export interface FastSlowOptions {
  /** Delay of the first `maxFastAttempts` retries of an item. */
  readonly fastDelayMs: number;
  /** Delay of every retry after those. */
  readonly slowDelayMs: number;
  readonly maxFastAttempts: number;
}

/** Retries an item quickly a few times, then slowly (client-go's `ItemFastSlowRateLimiter`). */
export function fastSlowRateLimiter<T>(options: FastSlowOptions): RateLimiter<T> {
  const { fastDelayMs, slowDelayMs, maxFastAttempts } = options;
  requireNonNegative('fastSlowRateLimiter', 'fastDelayMs', fastDelayMs);
  requireNonNegative('fastSlowRateLimiter', 'slowDelayMs', slowDelayMs);
  requireNonNegative('fastSlowRateLimiter', 'maxFastAttempts', maxFastAttempts);
  const attempts = new Map<T, number>();
  return {
    when(item) {
      const n = (attempts.get(item) ?? 0) + 1;
      attempts.set(item, n);
      return n <= maxFastAttempts ? fastDelayMs : slowDelayMs;
    },
    forget(item) {
      attempts.delete(item);
    },
    numRequeues(item) {
      return attempts.get(item) ?? 0;
    },
  };
}

/**
 * Combines limiters: waits as long as the strictest one says, reports the highest requeue
 * count, and forgets in all of them.
 */
export function maxOf<T>(...limiters: readonly RateLimiter<T>[]): RateLimiter<T> {
  if (limiters.length === 0) throw new RangeError('maxOf: pass at least one rate limiter');
  return {
    when(item) {
      let delay = 0;
      for (const limiter of limiters) delay = Math.max(delay, limiter.when(item));
      return delay;
    },
    forget(item) {
      for (const limiter of limiters) limiter.forget(item);
    },
    numRequeues(item) {
      let n = 0;
      for (const limiter of limiters) n = Math.max(n, limiter.numRequeues(item));
      return n;
    },
  };
}

/**
 * Per-item exponential backoff from 5 ms to 1000 s, combined with an overall token bucket of
 * 10 qps and burst 100.
 */
export function defaultControllerRateLimiter<T>(options: { readonly clock?: Clock } = {}): RateLimiter<T> {
  return maxOf<T>(
    exponentialFailureRateLimiter<T>({ baseDelayMs: 5, maxDelayMs: 1_000_000 }),
    tokenBucketRateLimiter<T>({ qps: 10, burst: 100, ...options }),
  );
}

function requireNonNegative(where: string, name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number >= 0, got ${value}`);
  }
}
