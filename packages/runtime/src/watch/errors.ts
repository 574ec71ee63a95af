/**
 * How the watcher reads failures. It depends on the {@link ListerWatcher} contract only, so it
 * recognises errors by shape (the client's `ApiError` carries `code`, `reason`, `status` and
 * `retryAfterSeconds`; its `NetworkError` a `reason`), which also lets fakes raise them.
 */
import type { Status } from '../api/index.ts';

/**
 * What a failure means for the protocol:
 * - `gone`: the resourceVersion is no longer available (410 Gone/Expired): relist.
 * - `too-large`: the resourceVersion is newer than the server has seen: list consistently.
 * - `throttled`: 429; retry after `retryAfterMs` when the server said so.
 * - `unreachable`: no HTTP answer (connection refused or reset, TLS or DNS failure, a stream
 *   cut mid-event): the server is down or restarting; retry soon, with a short capped backoff.
 * - `retry`: the server answered with a failure (5xx, 403 while RBAC settles...): retry with
 *   the full exponential backoff, so a failing server is not hammered.
 */
export type FailureKind =
  | { readonly kind: 'gone'; readonly reason: string }
  | { readonly kind: 'too-large'; readonly reason: string }
  | { readonly kind: 'throttled'; readonly reason: string; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string };

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly reason?: unknown;
  readonly status?: unknown;
  readonly retryAfterSeconds?: unknown;
}

function causesOf(status: unknown): readonly { reason?: unknown }[] {
  if (typeof status !== 'object' || status === null) return [];
  const causes = (status as Status).details?.causes;
  return Array.isArray(causes) ? causes : [];
}

/** Classifies an error thrown by `list`/`watch`. */
export function classifyFailure(error: unknown): FailureKind {
  if (typeof error !== 'object' || error === null) return { kind: 'retry', reason: 'Unknown' };
  const e = error as ErrorShape;
  const code = typeof e.code === 'number' ? e.code : undefined;
  const reason = typeof e.reason === 'string' ? e.reason : typeof e.name === 'string' ? e.name : 'Unknown';
  if (code === 410 || reason === 'Gone' || reason === 'Expired') return { kind: 'gone', reason };
  if (causesOf(e.status).some((c) => c.reason === 'ResourceVersionTooLarge')) {
    return { kind: 'too-large', reason: 'ResourceVersionTooLarge' };
  }
  if (code === 429 || reason === 'TooManyRequests') {
    const seconds = typeof e.retryAfterSeconds === 'number' ? e.retryAfterSeconds : undefined;
    return { kind: 'throttled', reason, retryAfterMs: seconds === undefined ? undefined : seconds * 1000 };
  }
  // The client's NetworkError: the request got no HTTP answer at all.
  if (e.name === 'NetworkError') return { kind: 'unreachable', reason };
  return { kind: 'retry', reason };
}

/** Classifies an in-stream ERROR event's Status. */
export function classifyStatus(status: Status): FailureKind {
  const reason = status.reason ?? 'Unknown';
  if (status.code === 410 || reason === 'Gone' || reason === 'Expired') return { kind: 'gone', reason };
  if (causesOf(status).some((c) => c.reason === 'ResourceVersionTooLarge')) {
    return { kind: 'too-large', reason: 'ResourceVersionTooLarge' };
  }
  if (status.code === 429) {
    const seconds = status.details?.retryAfterSeconds;
    return { kind: 'throttled', reason, retryAfterMs: seconds === undefined ? undefined : seconds * 1000 };
  }
  return { kind: 'retry', reason };
}

/**
 * A protocol problem the watcher detected itself (not thrown by the ListerWatcher): a stall,
 * a list without a resourceVersion, a watch that ended at once. Recorded in health and logs.
 */
export class WatcherError extends Error {
  override readonly name = 'WatcherError';
  readonly reason: 'Stalled' | 'ListTimeout' | 'MissingResourceVersion' | 'ShortWatch' | 'WatchErrorEvent';
  readonly status: Status | undefined;

  constructor(reason: WatcherError['reason'], message: string, status?: Status) {
    super(message);
    this.reason = reason;
    this.status = status;
  }
}
