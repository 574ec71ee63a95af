/**
 * The webhook server's metrics under controller-runtime's names (pkg/webhook/internal/metrics),
 * plus kubeforge's count of failed requests by reason.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { WebhookMetrics } from './sinks.ts';

/** controller-runtime's `prometheus.DefBuckets`, used by `controller_runtime_webhook_latency_seconds`. */
export const webhookLatencyBuckets: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Registers the webhook metrics; returns the factory of one endpoint's sink. */
export function createWebhookMetrics(registers: Registry[]): (path: string) => WebhookMetrics {
  const latency = new Histogram({
    name: 'controller_runtime_webhook_latency_seconds',
    help: 'Histogram of the latency of processing admission requests',
    labelNames: ['webhook'] as const,
    buckets: [...webhookLatencyBuckets],
    registers,
  });
  const total = new Counter({
    name: 'controller_runtime_webhook_requests_total',
    help: 'Total number of admission requests by HTTP status code.',
    labelNames: ['webhook', 'code'] as const,
    registers,
  });
  const inFlight = new Gauge({
    name: 'controller_runtime_webhook_requests_in_flight',
    help: 'Current number of admission requests being served.',
    labelNames: ['webhook'] as const,
    registers,
  });
  const panics = new Counter({
    name: 'controller_runtime_webhook_panics_total',
    help: 'Total number of webhook panics',
    registers,
  });
  const failures = new Counter({
    name: 'kubeforge_webhook_failures_total',
    help: 'Webhook requests that failed: malformed reviews, unknown kinds or versions, handlers that threw or timed out',
    labelNames: ['webhook', 'reason'] as const,
    registers,
  });
  return (path) => {
    const labels = { webhook: path };
    const running = inFlight.labels(labels);
    const observed = latency.labels(labels);
    // Present from the start, so dashboards see zeros rather than gaps.
    running.set(0);
    panics.inc(0);
    return {
      inFlight: (delta) => running.inc(delta),
      answered(code, seconds) {
        total.inc({ webhook: path, code: String(code) });
        observed.observe(seconds);
      },
      failed(reason) {
        failures.inc({ webhook: path, reason });
        if (reason === 'HandlerFailed') panics.inc();
      },
    };
  };
}
