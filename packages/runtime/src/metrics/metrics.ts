/**
 * Prometheus metrics under controller-runtime's names and buckets, so dashboards and alerts
 * written for Go operators work unchanged. Every {@link Metrics} owns its own prom-client
 * `Registry`: several managers (or tests) in one process never collide.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WorkQueueMetrics } from '../workqueue/metrics.ts';
import { BufferedHistogram } from './buffered-histogram.ts';
import { createWebhookMetrics } from './webhook-metrics.ts';
import { createRestClientMetrics } from './rest-client-metrics.ts';
import type { RequestObserver } from '../client/transport.ts';
import type { ControllerMetrics, LeaderElectionMetrics, WatchMetrics, WebhookMetrics } from './sinks.ts';

/** controller-runtime's buckets for `controller_runtime_reconcile_time_seconds`. */
export const reconcileTimeBuckets: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25,
  1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** client-go's `ExponentialBuckets(10e-9, 10, 12)`: 10 ns to 1000 s, for queue and work durations. */
export const workQueueDurationBuckets: readonly number[] = Array.from({ length: 12 }, (_, i) =>
  Number(`1e${i - 8}`),
);

/** The counters a watcher exposes in its health snapshot (see `Watcher.health()`). */
export interface WatcherHealthCounters {
  readonly reconnects: number;
  readonly relists: number;
  readonly stalls: number;
  readonly failures: number;
  readonly healthy: boolean;
}

export interface Metrics {
  /** Serve it at `/metrics` (see `startMetricsServer`), or merge it into your own. */
  readonly registry: Registry;
  /** The sink for one controller's reconciles. Repeated calls return the same sink. */
  controller(name: string): ControllerMetrics;
  /** The sink for one work queue (labels `name` and `controller` both set to `name`). */
  workQueue(name: string): WorkQueueMetrics;
  /** The sink for one leader election lock (`leader_election_master_status`). */
  leaderElection(name: string): LeaderElectionMetrics;
  /** The sink for one webhook endpoint (label `webhook`: its path). */
  webhook(path: string): WebhookMetrics;
  /**
   * Counts the API client's requests (`rest_client_requests_total`,
   * `rest_client_request_duration_seconds`); give it to `Transport.observe`.
   */
  readonly restClient: RequestObserver;
  /** The sink for one watched resource, for code that reports events as they happen. */
  watch(resource: string): WatchMetrics;
  /**
   * Samples a watcher's health counters at every scrape instead (use this or {@link watch}
   * for a given watcher, not both). Returns a function that stops tracking.
   */
  trackWatcher(resource: string, watcher: { health(): WatcherHealthCounters }): () => void;
  /**
   * Counts a failure outside any reconcile that reached the process level
   * (`kubeforge_process_failures_total{kind}`; kind `unhandledRejection` or
   * `uncaughtException`).
   */
  processFailure(kind: 'unhandledRejection' | 'uncaughtException'): void;
}

export interface MetricsOptions {
  /** Register into this registry instead of a new one. */
  readonly registry?: Registry;
  /** Also export Node.js process metrics (CPU, memory, event loop lag); default `true`. */
  readonly processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = options.registry ?? new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  // controller-runtime: pkg/internal/controller/metrics.
  const reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'] as const,
    registers,
  });
  const reconcileErrors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'] as const,
    registers,
  });
  const terminalErrors = new Counter({
    name: 'controller_runtime_terminal_reconcile_errors_total',
    help: 'Total number of terminal reconciliation errors per controller',
    labelNames: ['controller'] as const,
    registers,
  });
  const panics = new Counter({
    name: 'controller_runtime_reconcile_panics_total',
    help: 'Total number of reconciliation panics per controller',
    labelNames: ['controller'] as const,
    registers,
  });
  const processFailures = new Counter({
    name: 'kubeforge_process_failures_total',
    help: 'Unhandled promise rejections and uncaught exceptions outside reconciles, by kind',
    labelNames: ['kind'] as const,
    registers,
  });
  processFailures.labels({ kind: 'unhandledRejection' }).inc(0);
  processFailures.labels({ kind: 'uncaughtException' }).inc(0);
  const reconcileTime = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'] as const,
    buckets: [...reconcileTimeBuckets],
    registers,
  });
  const maxConcurrent = new Gauge({
    name: 'controller_runtime_max_concurrent_reconciles',
    help: 'Maximum number of concurrent reconciles per controller',
    labelNames: ['controller'] as const,
    registers,
  });
  const activeWorkers = new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: ['controller'] as const,
    registers,
  });

  // client-go / controller-runtime workqueue metrics. Queues report on their hot path, so
  // their sinks update plain fields and the metrics read them at scrape time.
  const queueStates = new Map<string, QueueState>();
  const queueLabels = ['name', 'controller'] as const;
  const queueGauge = (name: string, help: string, read: (s: QueueState) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: queueLabels,
      registers,
      collect() {
        for (const state of queueStates.values()) this.set(state.labels, read(state));
      },
    });
  };
  const queueCounter = (name: string, help: string, take: (s: QueueState) => number): void => {
    new Counter({
      name,
      help,
      labelNames: queueLabels,
      registers,
      collect() {
        for (const state of queueStates.values()) this.inc(state.labels, take(state));
      },
    });
  };
  queueGauge('workqueue_depth', 'Current depth of workqueue', (s) => s.depth);
  queueCounter('workqueue_adds_total', 'Total number of adds handled by workqueue', (s) => {
    const n = s.adds;
    s.adds = 0;
    return n;
  });
  queueCounter('workqueue_retries_total', 'Total number of retries handled by workqueue', (s) => {
    const n = s.retries;
    s.retries = 0;
    return n;
  });
  queueGauge(
    'workqueue_unfinished_work_seconds',
    "How many seconds of work has been done that is in progress and hasn't been observed by " +
      'work_duration. Large values indicate stuck threads. One can deduce the number of stuck ' +
      'threads by observing the rate at which this increases.',
    (s) => s.unfinished,
  );
  queueGauge(
    'workqueue_longest_running_processor_seconds',
    'How many seconds has the longest running processor for workqueue been running.',
    (s) => s.longest,
  );
  const queueDuration = new BufferedHistogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'How long in seconds an item stays in workqueue before being requested',
    labelNames: queueLabels,
    buckets: workQueueDurationBuckets,
    registers,
  });
  const workDuration = new BufferedHistogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes.',
    labelNames: queueLabels,
    buckets: workQueueDurationBuckets,
    registers,
  });

  const leaderStatus = new Gauge({
    name: 'leader_election_master_status',
    help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
    labelNames: ['name'] as const,
    registers,
  });

  const webhookSink = createWebhookMetrics(registers);

  // Watch health, kubeforge's own (no controller-runtime equivalent).
  const tracked = new Map<string, { health(): WatcherHealthCounters }>();
  const lastSeen = new Map<string, number>();
  /** Increments `counter` by how much each tracked watcher's `field` grew since the last scrape. */
  const sample = (
    counter: Counter<'resource'>,
    field: 'reconnects' | 'relists' | 'stalls' | 'failures',
  ): void => {
    for (const [resource, watcher] of tracked) {
      const key = `${field}\u0000${resource}`;
      const value = watcher.health()[field];
      const delta = value - (lastSeen.get(key) ?? 0);
      lastSeen.set(key, value);
      if (delta > 0) counter.inc({ resource }, delta);
    }
  };
  const watchCounter = (
    name: string,
    help: string,
    field: 'reconnects' | 'relists' | 'stalls' | 'failures',
  ): Counter<'resource'> =>
    new Counter({
      name,
      help,
      labelNames: ['resource'] as const,
      registers,
      collect() {
        sample(this, field);
      },
    });
  const watchReconnects = watchCounter(
    'kubeforge_watch_reconnects_total',
    'Watches re-opened after the previous one ended or failed',
    'reconnects',
  );
  const watchRelists = watchCounter(
    'kubeforge_watch_relists_total',
    'Lists after the initial one (410 Gone, expired continue tokens, ...)',
    'relists',
  );
  const watchStalls = watchCounter(
    'kubeforge_watch_stalls_total',
    'Watch connections abandoned because nothing arrived within the idle timeout',
    'stalls',
  );
  const watchFailures = watchCounter(
    'kubeforge_watch_failures_total',
    'Failed list or watch requests',
    'failures',
  );
  const watchHealthy = new Gauge({
    name: 'kubeforge_watch_healthy',
    help: '1 when the watcher has listed and is not backing off after a failure, else 0',
    labelNames: ['resource'] as const,
    registers,
    collect() {
      for (const [resource, watcher] of tracked) this.set({ resource }, watcher.health().healthy ? 1 : 0);
    },
  });

  const controllers = new Map<string, ControllerMetrics>();
  const queues = new Map<string, WorkQueueMetrics>();
  const watches = new Map<string, WatchMetrics>();
  const elections = new Map<string, LeaderElectionMetrics>();
  const webhooks = new Map<string, WebhookMetrics>();

  const restClient = createRestClientMetrics(registers);

  return {
    registry,
    restClient,
    controller(name) {
      return memo(controllers, name, () => {
        const labels = { controller: name };
        const total = {
          success: reconcileTotal.labels({ ...labels, result: 'success' }),
          error: reconcileTotal.labels({ ...labels, result: 'error' }),
          requeue: reconcileTotal.labels({ ...labels, result: 'requeue' }),
          requeue_after: reconcileTotal.labels({ ...labels, result: 'requeue_after' }),
        };
        const errors = reconcileErrors.labels(labels);
        const time = reconcileTime.labels(labels);
        const active = activeWorkers.labels(labels);
        const terminal = terminalErrors.labels(labels);
        const panicked = panics.labels(labels);
        // Present from the start, so dashboards see zeros rather than gaps.
        for (const child of Object.values(total)) child.inc(0);
        errors.inc(0);
        terminal.inc(0);
        panicked.inc(0);
        active.set(0);
        return {
          setMaxConcurrentReconciles: (workers) => maxConcurrent.set(labels, workers),
          activeWorkers: (delta) => active.inc(delta),
          reconciled(result, seconds) {
            total[result].inc();
            if (result === 'error') errors.inc();
            time.observe(seconds);
          },
          terminalError: () => terminal.inc(),
          panic: () => panicked.inc(),
        };
      });
    },
    workQueue(name) {
      return memo(queues, name, () => {
        const labels = { name, controller: name };
        const state: QueueState = { labels, depth: 0, adds: 0, retries: 0, unfinished: 0, longest: 0 };
        queueStates.set(name, state);
        const queued = queueDuration.child(labels);
        const worked = workDuration.child(labels);
        return {
          add: () => {
            state.adds++;
          },
          depth: (value) => {
            state.depth = value;
          },
          queueDuration: (seconds) => queued.observe(seconds),
          workDuration: (seconds) => worked.observe(seconds),
          retry: () => {
            state.retries++;
          },
          unfinishedWork(totalSeconds, longestSeconds) {
            state.unfinished = totalSeconds;
            state.longest = longestSeconds;
          },
        };
      });
    },
    processFailure(kind) {
      processFailures.labels({ kind }).inc();
    },
    leaderElection(name) {
      return memo(elections, name, () => {
        const status = leaderStatus.labels({ name });
        status.set(0);
        return { leading: (isLeader) => status.set(isLeader ? 1 : 0) };
      });
    },
    webhook(path) {
      return memo(webhooks, path, () => webhookSink(path));
    },
    watch(resource) {
      return memo(watches, resource, () => {
        const labels = { resource };
        const counters = [watchReconnects, watchRelists, watchStalls, watchFailures].map((c) =>
          c.labels(labels),
        );
        for (const c of counters) c.inc(0);
        const [reconnects, relists, stalls, failures] = counters as [
          Counter.Internal,
          Counter.Internal,
          Counter.Internal,
          Counter.Internal,
        ];
        return {
          reconnect: () => reconnects.inc(),
          relist: () => relists.inc(),
          stall: () => stalls.inc(),
          failure: () => failures.inc(),
        };
      });
    },
    trackWatcher(resource, watcher) {
      if (tracked.has(resource)) {
        throw new Error(
          `metrics: a watcher for "${resource}" is already tracked; call the function trackWatcher returned before tracking another`,
        );
      }
      tracked.set(resource, watcher);
      for (const c of [watchReconnects, watchRelists, watchStalls, watchFailures]) c.inc({ resource }, 0);
      return () => {
        // Take the last increments into account before letting go.
        sample(watchReconnects, 'reconnects');
        sample(watchRelists, 'relists');
        sample(watchStalls, 'stalls');
        sample(watchFailures, 'failures');
        tracked.delete(resource);
        watchHealthy.remove({ resource });
        for (const key of [...lastSeen.keys()]) if (key.endsWith(`\u0000${resource}`)) lastSeen.delete(key);
      };
    },
  };
}

/** One queue's values between scrapes; counters hold the increments not yet exported. */
interface QueueState {
  readonly labels: { readonly name: string; readonly controller: string };
  depth: number;
  adds: number;
  retries: number;
  unfinished: number;
  longest: number;
}

function memo<V>(cache: Map<string, V>, key: string, create: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = create();
    cache.set(key, value);
  }
  return value;
}
