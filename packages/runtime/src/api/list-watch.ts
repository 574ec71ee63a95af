/**
 * The list and watch contract between the API client and the cache. The watcher and
 * informers depend only on {@link ListerWatcher}, so they can be unit-tested with fakes and
 * run against the real client unchanged.
 */
import type { KubeObject, ListMeta, ObjectList, Status } from './object-meta.ts';

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  /** Opaque; `'0'` asks for any version (served from the watch cache). */
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  readonly signal?: AbortSignal;
  /**
   * The caller has no use for `metadata.managedFields`: a ListerWatcher may leave it out of
   * the items it hands on (kubeforge's HTTP client cuts it from each item's bytes before
   * parsing, in `listEach`). A hint, not a filter: items may still carry it.
   */
  readonly omitManagedFields?: boolean;
}

export interface WatchOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Resume point: events after this version are delivered. Opaque. */
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
  /**
   * Watch-list (Kubernetes >= 1.27, on by default from 1.32): the server first sends every
   * existing object as `added`, then a bookmark with `initialEventsEnd`, then changes. Needs
   * `resourceVersionMatch: 'NotOlderThan'` and bookmarks; servers without it refuse the watch.
   */
  readonly sendInitialEvents?: boolean;
  readonly resourceVersionMatch?: 'NotOlderThan';
  /** Server-side timeout; the server closes the stream after it. */
  readonly timeoutSeconds?: number;
  /** Aborting ends the iteration without an error. */
  readonly signal?: AbortSignal;
  /**
   * Called whenever bytes arrive on the stream (events or keep-alive), so callers can detect
   * a stalled connection.
   */
  readonly onActivity?: () => void;
}

/**
 * One event of a watch stream. `error` carries an in-stream ERROR event's Status (e.g. 410
 * Expired when the resume version was compacted); the server ends the stream after it.
 */
export type WatchEvent<T> =
  | { readonly type: 'added' | 'modified' | 'deleted'; readonly object: T }
  | {
      readonly type: 'bookmark';
      readonly resourceVersion: string;
      /** Set on the bookmark that ends a watch-list's initial events (`k8s.io/initial-events-end`). */
      readonly initialEventsEnd?: true;
    }
  | { readonly type: 'error'; readonly status: Status };

export interface ListerWatcher<T extends KubeObject> {
  list(options: ListOptions): Promise<ObjectList<T>>;
  /**
   * The same request as `list`, read as it arrives: each item is handed to `each` as soon as
   * it is decoded, in server order, and the list's metadata (resourceVersion, continue) is
   * returned at the end, so the response body and the whole page never have to exist at once.
   * What `each` throws rejects the call. Optional: the watcher uses `list` where it is absent.
   */
  listEach?(options: ListOptions, each: (item: T) => void): Promise<ListMeta>;
  /**
   * Opens a watch. The iterable ends when the server closes the stream; it throws an
   * `ApiError` when the server refuses the watch (e.g. 410 Gone) or the connection fails.
   */
  watch(options: WatchOptions): AsyncIterable<WatchEvent<T>>;
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
