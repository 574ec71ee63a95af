/**
 * The contract of a running controller: what it watches (sources), how it is configured, what
 * it reports, and its errors. The engine is in `controller.ts`.
 */
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import type { ResourceScope } from '../cache/resource-scope.ts';
import type { InformerLease, InformerScope, SharedInformerFactory } from '../cache/types.ts';
import type { EventRecorder } from '../events/recorder.ts';
import type { ControllerMetrics } from '../metrics/sinks.ts';
import type { Logger } from '../log/logger.ts';
import type { Clock } from '../workqueue/clock.ts';
import type { WorkQueueMetrics } from '../workqueue/metrics.ts';
import type { RateLimiter } from '../workqueue/rate-limiters.ts';
import type { RateLimitingQueue } from '../workqueue/rate-limiting-queue.ts';
import type { Client } from './client.ts';
import type { EventMapper } from './handlers.ts';
import type { Predicate } from './predicates.ts';
import type { Reconciler } from './reconciler.ts';

/** One watched collection and how its changes become requests. */
export interface WatchSource {
  readonly resource: ResourceDescriptor;
  /** What of the kind is watched: namespaces (one informer each), label and field selectors. */
  readonly scope?: ResourceScope;
  /**
   * Watch through the resource's metadata-only informers: handlers, predicates and mapping
   * functions see `PartialObjectMetadata` (see `SharedInformerFactory.metadataInformerFor`).
   */
  readonly metadataOnly?: boolean;
  /** All must pass for an event to be mapped. */
  readonly predicates: readonly Predicate[];
  readonly map: EventMapper;
  /** For logs: `for`, `owns` or `watches`. */
  readonly role: 'for' | 'owns' | 'watches';
}

/** A lease on the shared informer a source is fed by: the full one, or the metadata-only one. */
export function acquireForSource(
  informers: SharedInformerFactory,
  source: WatchSource,
  scope: InformerScope,
): InformerLease<KubeObject> {
  return source.metadataOnly === true
    ? informers.acquireMetadata(source.resource, scope)
    : informers.acquire<KubeObject>(source.resource, scope);
}

/** Default period of the primary resync: 10 hours, as controller-runtime's SyncPeriod. */
export const DEFAULT_RESYNC_PERIOD_MS = 10 * 60 * 60 * 1000;

export interface ControllerOptions {
  /** Names the controller in logs, metrics and its queue; unique within a manager. */
  readonly name: string;
  /** The primary kind; its cache is resynced periodically. */
  readonly primary: WatchSource;
  /** Other watched kinds (owned children, mapped kinds). */
  readonly sources?: readonly WatchSource[];
  readonly reconciler: Reconciler;
  readonly informers: SharedInformerFactory;
  readonly client: Client;
  readonly recorder?: EventRecorder;
  readonly logger?: Logger;
  readonly metrics?: ControllerMetrics;
  readonly queueMetrics?: WorkQueueMetrics;
  /** Workers; default 1. */
  readonly maxConcurrentReconciles?: number;
  /** A reconcile still running after this long has its signal aborted and is requeued; default none. */
  readonly reconcileTimeoutMs?: number;
  /** Default: max(per-item exponential 5 ms -> 1000 s, token bucket 10/s burst 100). */
  readonly rateLimiter?: RateLimiter<string>;
  /** Every primary is enqueued this often (jittered up to +10 %); `0` disables. Default 10 h. */
  readonly resyncPeriodMs?: number;
  /** How long `stop()` waits for in-flight reconciles by default; default 30 000 ms. */
  readonly shutdownTimeoutMs?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
}

export interface ControllerStatus {
  /** Handlers registered and caches being filled. */
  readonly started: boolean;
  /** Every watched cache synced and workers running. */
  readonly synced: boolean;
  readonly stopped: boolean;
  readonly queueLength: number;
  readonly activeReconciles: number;
  /** Reconciles that outlived their timeout and have not settled yet. */
  readonly abandonedReconciles: number;
}

export interface StopOptions {
  /** How long in-flight reconciles may take to finish; default the controller's `shutdownTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Abort in-flight reconciles' signals at once instead of after the timeout (e.g. leadership lost). */
  readonly abort?: boolean;
}

export interface Controller {
  readonly name: string;
  /**
   * Registers event handlers, starts the informers and waits for their caches, then starts
   * the workers. Resolves `true` once workers run, `false` if stopped first. Call once.
   */
  start(): Promise<boolean>;
  /**
   * Stops intake, waits up to the timeout for in-flight reconciles, then aborts their signals,
   * unregisters handlers and releases its informer leases (informers no one else holds stop).
   * Idempotent; resolves when done.
   */
  stop(options?: StopOptions): Promise<void>;
  status(): ControllerStatus;
  /** The work queue, for tests and advanced wiring (e.g. enqueueing from a webhook). */
  readonly queue: RateLimitingQueue<string>;
}

export class ControllerError extends Error {
  readonly reason: 'InvalidOptions' | 'AlreadyStarted';
  constructor(reason: ControllerError['reason'], message: string) {
    super(message);
    this.name = 'ControllerError';
    this.reason = reason;
  }
}

/** The reason a reconcile's signal is aborted when the controller stops past its timeout. */
export class ControllerStoppedError extends Error {
  readonly reason = 'ControllerStopped';
  constructor(controller: string) {
    super(`controller ${controller} is stopping`);
    this.name = 'ControllerStoppedError';
  }
}

export function validateControllerOptions(options: ControllerOptions): void {
  const fail = (message: string): never => {
    throw new ControllerError('InvalidOptions', `controller ${options.name || '(unnamed)'}: ${message}`);
  };
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(options.name)) {
    fail(
      'name must be lowercase letters, digits, "-" or "." (it labels metrics and logs), e.g. "foo-controller"',
    );
  }
  const workers = options.maxConcurrentReconciles;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    fail(`maxConcurrentReconciles must be an integer >= 1, got ${workers}`);
  }
  for (const [field, value] of [
    ['reconcileTimeoutMs', options.reconcileTimeoutMs],
    ['resyncPeriodMs', options.resyncPeriodMs],
    ['shutdownTimeoutMs', options.shutdownTimeoutMs],
  ] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0))
      fail(`${field} must be a number of milliseconds >= 0, got ${value}`);
  }
  if (options.reconcileTimeoutMs === 0) fail('reconcileTimeoutMs must be > 0 (omit it for no timeout)');
}
