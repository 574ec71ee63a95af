/**
 * The reconciler contract: one function from "which object" to "whether and when to look at
 * it again". Reconciles are level-based: a request names an object, never what happened to
 * it, so a reconciler reads the current state and drives the world towards it.
 */
import type { Logger } from '../log/logger.ts';
import type { Client } from './client.ts';
import type { EventRecorder } from '../events/recorder.ts';

/** Which object to reconcile: `namespace` is absent for cluster-scoped kinds. */
export interface Request {
  readonly namespace?: string;
  readonly name: string;
}

/**
 * What a successful reconcile asks for. `{}`: done until something changes.
 * `{ requeueAfterMs: n }`: look again after `n` ms even if nothing changes (polling external
 * state). Failures are not results: throw (retried with backoff) or throw a
 * {@link TerminalError} (not retried).
 */
export interface Result {
  readonly requeueAfterMs?: number;
}

/** Everything a reconcile may use; built fresh for each reconcile. */
export interface ReconcileContext {
  /**
   * Aborted when the reconcile's timeout passes or the controller shuts down past its grace
   * period. Pass it to API calls; stop work when it aborts.
   */
  readonly signal: AbortSignal;
  /** Carries `controller`, `namespace`, `name` and `reconcileID` fields. */
  readonly logger: Logger;
  /** Reads from the shared cache, writes to the API server. */
  readonly client: Client;
  /** Records Kubernetes Events as this controller. */
  readonly recorder: EventRecorder;
  /** Unique per reconcile; also on every log line. */
  readonly reconcileID: string;
  /** The controller's name. */
  readonly controller: string;
}

/** The user's half of a controller. May throw; see {@link Result}. */
export type Reconciler = (request: Request, context: ReconcileContext) => Promise<Result>;

/**
 * An error retrying cannot fix (an invalid spec, a missing permission the user must grant).
 * The controller logs and counts it and does not requeue; the next change to the object (or
 * the periodic resync) reconciles it again.
 */
export class TerminalError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
    this.reason = reason;
  }
}

export function isTerminalError(err: unknown): err is TerminalError {
  return err instanceof TerminalError;
}

/** Thrown into a reconcile's signal when its timeout passes. */
export class ReconcileTimeoutError extends Error {
  readonly reason = 'ReconcileTimeout';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`reconcile did not finish within ${timeoutMs} ms; its signal was aborted`);
    this.name = 'ReconcileTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** A reconciler returned something that is not a {@link Result}. */
export class InvalidResultError extends Error {
  readonly reason = 'InvalidResult';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidResultError';
  }
}

/**
 * How the controller acts on one reconcile's outcome. Pure, so every branch is unit-tested:
 * - `forget`: reset the key's backoff (success and terminal errors).
 * - `requeueAfter`: add the key again after `delayMs` (also forgets the backoff, as a
 *   successful reconcile does).
 * - `rateLimited`: add the key again after the rate limiter's delay (ordinary errors).
 */
export type Outcome =
  | { readonly action: 'forget'; readonly metric: 'success' }
  | { readonly action: 'forget'; readonly metric: 'error'; readonly error: TerminalError }
  | { readonly action: 'requeueAfter'; readonly delayMs: number; readonly metric: 'requeue_after' }
  | { readonly action: 'rateLimited'; readonly metric: 'error'; readonly error: unknown };

export type Settled =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export function outcomeOf(settled: Settled): Outcome {
  if (!settled.ok) {
    return isTerminalError(settled.error)
      ? { action: 'forget', metric: 'error', error: settled.error }
      : { action: 'rateLimited', metric: 'error', error: settled.error };
  }
  const result = settled.value;
  if (typeof result !== 'object' || result === null) {
    return {
      action: 'rateLimited',
      metric: 'error',
      error: new InvalidResultError(
        `reconciler returned ${result === null ? 'null' : typeof result}; return {} when done or { requeueAfterMs } to look again later`,
      ),
    };
  }
  const { requeueAfterMs } = result as Result;
  if (requeueAfterMs === undefined) return { action: 'forget', metric: 'success' };
  if (typeof requeueAfterMs !== 'number' || !Number.isFinite(requeueAfterMs) || requeueAfterMs < 0) {
    return {
      action: 'rateLimited',
      metric: 'error',
      error: new InvalidResultError(
        `reconciler returned requeueAfterMs ${String(requeueAfterMs)}; it must be a finite number of milliseconds >= 0`,
      ),
    };
  }
  return { action: 'requeueAfter', delayMs: requeueAfterMs, metric: 'requeue_after' };
}

/** `namespace/name` (or `name`), the queue key of a request. */
export function requestKey(request: Request): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}
