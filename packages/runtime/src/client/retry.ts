/**
 * Retrying optimistic-concurrency conflicts, after client-go's `retry.RetryOnConflict`.
 *
 * The function passed in must do the whole get-modify-update: read the object fresh, change
 * it, write it. Retrying only the write would resend the same stale resourceVersion and fail
 * again; see `ResourceClient.modify` for the packaged form.
 */
import { isConflict } from './errors.ts';

/** Parameters of a stepped backoff (client-go's `wait.Backoff`). */
export interface RetryBackoff {
  /** Maximum number of attempts (each attempt after the first waits one step). */
  readonly steps: number;
  /** The first wait, in milliseconds. */
  readonly durationMs: number;
  /** Each wait is the previous one times `factor` (1 = constant). */
  readonly factor: number;
  /** Each wait is lengthened by up to `jitter * wait`, at random. */
  readonly jitter: number;
  /** Upper bound for a wait, before jitter. */
  readonly capMs?: number;
}

/** client-go's `retry.DefaultRetry`: 5 attempts, 10 ms apart, jitter 0.1. */
export const DEFAULT_RETRY: RetryBackoff = { steps: 5, durationMs: 10, factor: 1, jitter: 0.1 };

export interface RetryControls {
  /** Waits `ms` milliseconds; injectable for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Returns a number in [0, 1); injectable for tests. */
  readonly random?: () => number;
  /** Aborting stops retrying and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * The waits a backoff produces between attempts, in order (`steps - 1` of them), with jitter
 * drawn from `random`.
 */
export function backoffDelays(backoff: RetryBackoff, random: () => number = Math.random): number[] {
  const delays: number[] = [];
  let duration = backoff.durationMs;
  for (let step = 1; step < backoff.steps; step++) {
    const base = backoff.capMs === undefined ? duration : Math.min(duration, backoff.capMs);
    delays.push(backoff.jitter > 0 ? base + random() * backoff.jitter * base : base);
    duration *= backoff.factor;
  }
  return delays;
}

/**
 * Calls `fn` until it succeeds, throws an error `isRetriable` rejects, or the backoff's steps
 * run out (then the last error is thrown). `fn` receives the attempt number, starting at 0.
 */
export async function retryOnError<R>(
  backoff: RetryBackoff,
  isRetriable: (error: unknown) => boolean,
  fn: (attempt: number) => Promise<R>,
  controls: RetryControls = {},
): Promise<R> {
  const wait = controls.sleep ?? sleep;
  const delays = backoffDelays(backoff, controls.random);
  for (let attempt = 0; ; attempt++) {
    controls.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined || !isRetriable(error)) throw error;
      await wait(delay, controls.signal);
    }
  }
}

/**
 * Runs a get-modify-update function, retrying it when it fails with a Conflict (409), with
 * client-go's {@link DEFAULT_RETRY} unless another backoff is given:
 *
 * ```ts
 * await retryOnConflict(async () => {
 *   const current = await schedules.get(name, { namespace });   // fresh read on every attempt
 *   current.spec.paused = true;
 *   return schedules.update(current);
 * });
 * ```
 */
export function retryOnConflict<R>(
  fn: (attempt: number) => Promise<R>,
  backoff: RetryBackoff = DEFAULT_RETRY,
  controls?: RetryControls,
): Promise<R> {
  return retryOnError(backoff, isConflict, fn, controls);
}

/** Waits `ms` milliseconds; rejects with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
