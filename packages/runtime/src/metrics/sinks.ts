/**
 * The narrow interfaces through which runtime components report measurements. Components
 * depend only on these (with no-op defaults), never on prom-client; {@link createMetrics}
 * provides the Prometheus implementation.
 */

/** How a reconcile ended, as controller-runtime labels `controller_runtime_reconcile_total`. */
export type ReconcileResult = 'success' | 'error' | 'requeue' | 'requeue_after';

/** One controller's reconcile measurements; the sink is bound to the controller's name. */
export interface ControllerMetrics {
  /** The configured worker count (`controller_runtime_max_concurrent_reconciles`). */
  setMaxConcurrentReconciles(workers: number): void;
  /** A worker started (`+1`) or finished (`-1`) a reconcile (`controller_runtime_active_workers`). */
  activeWorkers(delta: 1 | -1): void;
  /**
   * A reconcile ended after `seconds`. `error` results also count in
   * `controller_runtime_reconcile_errors_total`.
   */
  reconciled(result: ReconcileResult, seconds: number): void;
  /** A reconcile failed with an error that will not be retried (also report it as `error`). */
  terminalError(): void;
  /** A reconcile threw outside the normal error path (e.g. a timeout or a crash guard). */
  panic(): void;
}

/** Watch health of one watched collection; the sink is bound to the resource's name. */
export interface WatchMetrics {
  /** A watch was re-opened after the previous one ended or failed. */
  reconnect(): void;
  /** The collection was listed again after the initial list (410 Gone, expired token, ...). */
  relist(): void;
  /** A connection was abandoned because nothing arrived within the idle timeout. */
  stall(): void;
  /** A list or watch request failed. */
  failure(): void;
}

/** Leader election state of one lock; the sink is bound to the lock's name. */
export interface LeaderElectionMetrics {
  /** This process started (`true`) or stopped (`false`) leading. */
  leading(isLeader: boolean): void;
}

/**
 * One webhook endpoint's measurements; the sink is bound to the endpoint's path, the
 * `webhook` label of controller-runtime's webhook metrics.
 */
export interface WebhookMetrics {
  /** A request arrived (`+1`) or was answered (`-1`) (`controller_runtime_webhook_requests_in_flight`). */
  inFlight(delta: 1 | -1): void;
  /** A request was answered with HTTP `code` after `seconds`. */
  answered(code: number, seconds: number): void;
  /**
   * A request failed for `reason` (a malformed review, an unknown kind, a handler that threw
   * or timed out), whatever the HTTP code (`kubeforge_webhook_failures_total`); a throwing
   * handler also counts in `controller_runtime_webhook_panics_total`.
   */
  failed(reason: string): void;
}

const ignore = (): void => undefined;

export const noopControllerMetrics: ControllerMetrics = {
  setMaxConcurrentReconciles: ignore,
  activeWorkers: ignore,
  reconciled: ignore,
  terminalError: ignore,
  panic: ignore,
};

export const noopWatchMetrics: WatchMetrics = {
  reconnect: ignore,
  relist: ignore,
  stall: ignore,
  failure: ignore,
};

export const noopLeaderElectionMetrics: LeaderElectionMetrics = { leading: ignore };

export const noopWebhookMetrics: WebhookMetrics = { inFlight: ignore, answered: ignore, failed: ignore };
