/**
 * metrics: Prometheus metrics under controller-runtime's names (reconciles, work queues,
 * leader election) and client-go's (`rest_client_*`) plus kubeforge's watch health, the sink
 * interfaces components report through, the `/healthz` `/readyz` probe server, and the
 * `/metrics` server with delegated authentication and authorization.
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
export { restClientDurationBuckets } from './rest-client-metrics.ts';
export {
  startMetricsServer,
  selfSignedMetricsCertificates,
  MetricsServerError,
  type MetricsServer,
  type MetricsServerOptions,
} from './metrics-server.ts';
export {
  createReviewAuthorizer,
  kubeReviews,
  type ReviewAuthorizerOptions,
  type ReviewClient,
  type ScrapeAuthorizer,
  type ScrapeDecision,
  type ReviewedUser,
} from './review-authorizer.ts';
