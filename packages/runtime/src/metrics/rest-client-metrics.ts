/**
 * The API client's metrics under client-go's names (k8s.io/client-go/tools/metrics, as
 * controller-runtime registers them): `rest_client_requests_total` by `code`, `method` and
 * `host`, and `rest_client_request_duration_seconds` by `verb` and `host` with client-go's
 * buckets. `code` is the HTTP status, or `<error>` when the request got no answer.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ObservedRequest } from '../client/transport.ts';

/** client-go's buckets for `rest_client_request_duration_seconds`. */
export const restClientDurationBuckets: readonly number[] = [
  0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60,
];

/** Registers the metrics; returns the observer a transport reports its requests to. */
export function createRestClientMetrics(registers: Registry[]): (request: ObservedRequest) => void {
  const total = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code, method, and host.',
    labelNames: ['code', 'method', 'host'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'rest_client_request_duration_seconds',
    help: 'Request latency in seconds. Broken down by verb, and host.',
    labelNames: ['verb', 'host'] as const,
    buckets: [...restClientDurationBuckets],
    registers,
  });
  return (request) => {
    total.inc({ code: request.code, method: request.method, host: request.host });
    duration.observe({ verb: request.method, host: request.host }, request.seconds);
  };
}
