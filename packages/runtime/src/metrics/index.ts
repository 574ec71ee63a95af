/**
 * metrics: Prometheus metrics under controller-runtime's names (reconciles, work queues,
 * leader election) plus kubeforge's watch health, the sink interfaces components report
 * through, and the `/healthz` `/readyz` `/metrics` probe server.
 */
export {
  createMetrics,
  reconcileTimeBuckets,
  workQueueDurationBuckets,
  type Metrics,
  type MetricsOptions,
  type WatcherHealthCounters,
} from './metrics.ts';
export { webhookLatencyBuckets } from './webhook-metrics.ts';
export {
  noopControllerMetrics,
  noopWatchMetrics,
  noopLeaderElectionMetrics,
  noopWebhookMetrics,
  type WebhookMetrics,
  type ControllerMetrics,
  type LeaderElectionMetrics,
  type ReconcileResult,
  type WatchMetrics,
} from './sinks.ts';
export {
  startProbeServer,
  HealthCheckError,
  ProbeServerError,
  type HealthCheck,
  type ProbeServer,
  type ProbeServerOptions,
} from './probe-server.ts';
