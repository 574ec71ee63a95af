/**
 * An event recorder: reports what a controller did to an object as core/v1 Events, the way
 * `kubectl describe` shows them. Like client-go's recorder, repeats of the same event (same
 * object, type, reason and message) within ten minutes update one Event's `count` and
 * `lastTimestamp` instead of creating new Events. Similar events (same object, type and
 * reason, different messages, e.g. an error text that changes every time) are combined too:
 * from the tenth distinct message within the window on, they update one Event whose message
 * is the latest, prefixed `(combined from similar events): `.
 *
 * A per-object spam filter (burst 25, then one event per five minutes) keeps a hot loop from
 * flooding the API server.
 *
 * Recording never blocks and never throws: writes happen in the background, in order, and a
 * failed write is logged and counted, not retried (events are best-effort by design). Call
 * {@link EventRecorder.flush} to wait for pending writes (tests, shutdown).
 */
import type { KubeObject, ObjectMeta, ResourceDescriptor } from '../api/index.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import { isNotFound } from '../client/errors.ts';
import type { Clock } from '../workqueue/clock.ts';
import { realClock } from '../workqueue/clock.ts';
import type { Logger } from '../log/logger.ts';
import { errorFields, noopLogger } from '../log/logger.ts';

export type EventType = 'Normal' | 'Warning';

/** core/v1 ObjectReference, as Events carry it. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** core/v1 Event (the fields the recorder writes). */
export interface CoreEvent extends KubeObject {
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  metadata: ObjectMeta;
}

export const eventResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
};

export interface EventRecorder {
  /**
   * Records an event about `regarding` (an object with apiVersion, kind and metadata).
   * `reason` is a short UpperCamelCase machine word (`Created`, `SyncFailed`); `message` is
   * for humans.
   */
  event(regarding: KubeObject, type: EventType, reason: string, message: string): void;
  /** Resolves once every event recorded so far was written (or failed). */
  flush(): Promise<void>;
  /** Writes that failed so far (including events dropped because too many were pending). */
  readonly failures: number;
  /** Events dropped by the per-object spam filter. */
  readonly dropped: number;
}

export interface EventRecorderOptions {
  /** The client for core/v1 Events (`createResourceClient(kubeConfig, eventResource)`). */
  readonly client: ResourceClient<CoreEvent>;
  /** Who reports: `source.component` and `reportingComponent` (e.g. the controller's name). */
  readonly component: string;
  /** `source.host` / `reportingInstance`, e.g. the Pod name. */
  readonly host?: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Repeats within this window are aggregated; default 10 minutes (client-go's). */
  readonly aggregationWindowMs?: number;
  /** Events waiting to be written beyond this are dropped (and logged); default 1000. */
  readonly maxPending?: number;
  /** How many distinct events are remembered for aggregation; default 4096. */
  readonly cacheSize?: number;
  /**
   * Distinct messages of one object, type and reason within the window from which on
   * events are combined into one; default 10 (client-go's).
   */
  readonly maxSimilar?: number;
  /**
   * Per-object spam filter (client-go's): each object may emit `burst` events at once, then
   * one per `refillMs`; events beyond are dropped and counted in `dropped`. Default 25 and
   * 300 000 ms (one every five minutes).
   */
  readonly spamFilter?: { readonly burst: number; readonly refillMs: number };
}

/** The prefix of a combined event's message (client-go's wording, which tools recognise). */
export const COMBINED_MESSAGE_PREFIX = '(combined from similar events): ';

/** Distinct messages seen for one object, type and reason. */
interface Similar {
  readonly messages: Set<string>;
  lastAt: number;
}

interface Seen {
  readonly name: string;
  readonly namespace: string;
  count: number;
  lastAt: number;
}

export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const clock = options.clock ?? realClock;
  const logger = options.logger ?? noopLogger;
  const windowMs = options.aggregationWindowMs ?? 10 * 60_000;
  const maxPending = options.maxPending ?? 1000;
  const cacheSize = options.cacheSize ?? 4096;
  const seen = new Map<string, Seen>();
  const maxSimilar = options.maxSimilar ?? 10;
  const similar = new Map<string, Similar>();
  /**
   * The dedupe key and message an event is written under: its own, or, once `maxSimilar`
   * distinct messages of the same object, type and reason were seen within the window, the
   * shared key of them all and the combined message.
   */
  const combine = (group: string, message: string, at: number): { key: string; message: string } => {
    let record = similar.get(group);
    if (record === undefined || at - record.lastAt > windowMs) record = { messages: new Set(), lastAt: at };
    record.messages.add(message);
    record.lastAt = at;
    similar.delete(group);
    similar.set(group, record); // most recently used last
    while (similar.size > cacheSize) {
      const oldest = similar.keys().next().value;
      if (oldest === undefined) break;
      similar.delete(oldest);
    }
    if (record.messages.size < maxSimilar) return { key: `${group}\u0000${message}`, message };
    record.messages.delete(message); // stay at the limit; later messages still combine
    return { key: `${group}\u0000*`, message: `${COMBINED_MESSAGE_PREFIX}${message}` };
  };
  const burst = options.spamFilter?.burst ?? 25;
  const refillMs = options.spamFilter?.refillMs ?? 300_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let dropped = 0;
  /** Takes a token from the object's bucket; `false` when it is empty. */
  const allow = (regarding: KubeObject, at: number): boolean => {
    const m = regarding.metadata;
    const key = [m.uid ?? '', regarding.kind ?? '', m.namespace ?? '', m.name ?? ''].join('\u0000');
    const bucket = buckets.get(key) ?? { tokens: burst, at };
    bucket.tokens = Math.min(burst, bucket.tokens + (at - bucket.at) / refillMs);
    bucket.at = at;
    buckets.delete(key);
    buckets.set(key, bucket);
    while (buckets.size > cacheSize) {
      const oldest = buckets.keys().next().value;
      if (oldest === undefined) break;
      buckets.delete(oldest);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let failures = 0;
  let lastNanos = 0n;

  const uniqueNanos = (ms: number): bigint => {
    let nanos = BigInt(Math.floor(ms)) * 1_000_000n;
    if (nanos <= lastNanos) nanos = lastNanos + 1n;
    lastNanos = nanos;
    return nanos;
  };

  const write = async (
    regarding: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    at: number,
  ) => {
    const meta = regarding.metadata;
    const namespace = meta.namespace === undefined || meta.namespace === '' ? 'default' : meta.namespace;
    const group = [meta.uid ?? '', regarding.kind ?? '', namespace, meta.name ?? '', type, reason].join(
      '\u0000',
    );
    const { key, message: shown } = combine(group, message, at);
    const timestamp = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const previous = seen.get(key);
    if (previous !== undefined && at - previous.lastAt <= windowMs) {
      const count = previous.count + 1;
      try {
        await options.client.patch(
          previous.name,
          { type: 'merge', patch: { count, lastTimestamp: timestamp, message: shown } },
          { namespace: previous.namespace },
        );
        previous.count = count;
        previous.lastAt = at;
        seen.delete(key);
        seen.set(key, previous); // most recently used last
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        seen.delete(key); // the Event expired (TTL); start a new one
      }
    }
    const name = `${meta.name ?? 'unknown'}.${uniqueNanos(at).toString(16)}`;
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        ...(regarding.apiVersion !== undefined && { apiVersion: regarding.apiVersion }),
        ...(regarding.kind !== undefined && { kind: regarding.kind }),
        ...(meta.namespace !== undefined && { namespace: meta.namespace }),
        ...(meta.name !== undefined && { name: meta.name }),
        ...(meta.uid !== undefined && { uid: meta.uid }),
        ...(meta.resourceVersion !== undefined && { resourceVersion: meta.resourceVersion }),
      },
      reason,
      message: shown,
      type,
      count: 1,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      source: { component: options.component, ...(options.host !== undefined && { host: options.host }) },
      reportingComponent: options.component,
      reportingInstance: options.host ?? '',
    };
    await options.client.create(event);
    seen.set(key, { name, namespace, count: 1, lastAt: at });
    while (seen.size > cacheSize) {
      const oldest = seen.keys().next().value;
      if (oldest === undefined) break;
      seen.delete(oldest);
    }
  };

  return {
    event(regarding, type, reason, message) {
      if (pending >= maxPending) {
        failures++;
        logger.warn('event dropped: too many events waiting to be written', {
          reason,
          object: regarding.metadata.name,
          pending,
        });
        return;
      }
      const at = clock.now();
      if (!allow(regarding, at)) {
        dropped++;
        logger.debug('event dropped by the spam filter', { reason, object: regarding.metadata.name });
        return;
      }
      pending++;
      chain = chain
        .then(() => write(regarding, type, reason, message, at))
        .catch((err: unknown) => {
          failures++;
          logger.warn('could not write event', {
            reason,
            object: regarding.metadata.name,
            namespace: regarding.metadata.namespace,
            error: errorFields(err),
          });
        })
        .finally(() => {
          pending--;
        });
    },
    flush: () => chain,
    get failures() {
      return failures;
    },
    get dropped() {
      return dropped;
    },
  };
}

/** A recorder that records nothing (unit tests, controllers without events). */
export const noopEventRecorder: EventRecorder = {
  event: () => undefined,
  flush: () => Promise.resolve(),
  failures: 0,
  dropped: 0,
};
