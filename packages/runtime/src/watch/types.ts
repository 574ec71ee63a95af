/**
 * The public contract of the watcher: what it yields, how it is configured and how its health
 * is reported.
 */
import type { KubeObject } from '../api/index.ts';
import type { Clock } from '../workqueue/clock.ts';
import type { BackoffOptions } from './backoff.ts';
import type { Logger } from '../log/logger.ts';

/**
 * What the watcher yields, in order:
 * - `listed`: a complete, consistent snapshot of the collection (after the initial list and
 *   after every relist). Consumers replace their state with it; objects they hold that are
 *   absent from `objects` were deleted while the watcher was not watching.
 * - `added` / `modified` / `deleted`: one change seen by the watch, in server order.
 * - `bookmark`: the collection is known up to `resourceVersion`; nothing changed.
 *
 * Delete events can be lost only as individual events, never as state: a relist reports the
 * object as absent from the snapshot. Use finalizers when the final state of an object matters.
 */
export type WatcherEvent<T> =
  | { readonly type: 'listed'; readonly objects: readonly T[]; readonly resourceVersion: string }
  | { readonly type: 'added' | 'modified' | 'deleted'; readonly object: T }
  | { readonly type: 'bookmark'; readonly resourceVersion: string };

/**
 * Where the watcher is: listing; `connecting` (a watch was requested and the server has not
 * answered yet); `watching` (the server answered: the stream is open, events flow as they
 * happen); waiting out a `backoff`; or `stopped` (signal aborted).
 */
export type WatcherPhase = 'listing' | 'connecting' | 'watching' | 'backoff' | 'stopped';

/** The last failure the watcher recovered from (or is recovering from). */
export interface WatcherFailure {
  /** What failed: `list`, `watch` (opening or reading the stream), `stall` (idle timeout). */
  readonly operation: 'list' | 'watch' | 'stall';
  /** A short machine-readable cause: `Gone`, `TooManyRequests`, `NetworkError`, `Stalled`, ... */
  readonly reason: string;
  readonly message: string;
  /** Clock time (ms) of the failure. */
  readonly at: number;
  readonly error?: unknown;
}

/**
 * A snapshot of the watcher's health. Counters only grow. `lastSyncAt` is the clock time of
 * the last complete list; `lastEventAt` of the last event or bookmark from a watch.
 */
export interface WatcherHealth {
  readonly state: WatcherPhase;
  /** `true` once a list completed and the watcher is not in backoff after a failure. */
  readonly healthy: boolean;
  readonly resourceVersion: string | undefined;
  readonly lastError: WatcherFailure | undefined;
  /** Failures of any kind (list, watch, stall). */
  readonly failures: number;
  /** Watches re-opened after the previous one ended or failed. */
  readonly reconnects: number;
  /** Lists after the initial one (410 Gone, expired continue tokens, ...). */
  readonly relists: number;
  /** Connections abandoned because nothing arrived within the idle timeout. */
  readonly stalls: number;
  readonly lastSyncAt: number | undefined;
  readonly lastEventAt: number | undefined;
}

export interface WatcherOptions<T extends KubeObject = KubeObject> {
  /** Server-side label selector, passed verbatim (use a parsed `Selector`'s `toString()`). */
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Items per list page; default 500. `0` lists without paging. */
  readonly pageSize?: number;
  /**
   * Sync with watch-list instead of list + watch (Kubernetes >= 1.27 with the WatchList
   * feature, on by default from 1.32): one watch streams the initial state object by object,
   * so the collection never arrives as one response body. A server that refuses it is listed
   * instead, for as long as the watcher runs. Default false.
   */
  readonly watchList?: boolean;
  /**
   * Applied to every object as it arrives, before the watcher keeps it (list pages, the
   * initial events of a watch-list) or yields it: the informer's transform and compaction, so
   * the watcher never holds objects as the server sent them. Must not throw.
   */
  readonly prepare?: (object: T) => T;
  /**
   * Lists ask the ListerWatcher to leave `metadata.managedFields` out
   * (`ListOptions.omitManagedFields`): what `prepare` drops anyway need not be parsed.
   * Default false.
   */
  readonly omitManagedFields?: boolean;
  /**
   * A watch that delivers nothing (no bytes, no bookmark) for this long is considered stalled
   * and is reconnected from the last resourceVersion; without this, a connection silently
   * dropped by the network would never end (the server's timeout cannot reach us). Default
   * 300 000 ms. Recent API servers send a bookmark about once a minute, so a healthy watch is
   * never idle that long; older ones (e.g. 1.20) stay silent on a quiet collection, which then
   * costs one cheap reconnect per idle timeout (counted in `stalls`, logged at info).
   */
  readonly idleTimeoutMs?: number;
  /** A list request that has not completed after this long is abandoned and retried. Default 120 000 ms. */
  readonly listTimeoutMs?: number;
  /** Bounds of the server-side watch timeout, drawn uniformly per watch. Default 300–600 s. */
  readonly watchTimeoutSeconds?: { readonly min: number; readonly max: number };
  readonly backoff?: BackoffOptions;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Source of randomness in [0, 1) for jitter and watch timeouts (tests make it deterministic). */
  readonly random?: () => number;
  /** Identifies the watched collection in logs, e.g. `configmaps in ns-1`. */
  readonly name?: string;
  /** Aborting stops the watcher: the iteration ends without an error. */
  readonly signal?: AbortSignal;
}

/**
 * A running list+watch over one collection. Iterate it once: it never ends by itself and
 * never throws for API or network failures (it recovers and reports them in {@link health});
 * it ends when `signal` aborts.
 */
export interface Watcher<T> extends AsyncIterable<WatcherEvent<T>> {
  health(): WatcherHealth;
}
