/**
 * Watch-list (client-go's `WatchListClient`, KEP-3157): instead of a list, one watch with
 * `sendInitialEvents=true` streams every existing object as an event, marks the end of that
 * initial state with a bookmark annotated `k8s.io/initial-events-end`, and goes on as a normal
 * watch from there. The collection is never held as one response body, and no second
 * request is needed to start watching.
 *
 * Servers that cannot do it refuse the request (400/422: 1.20-1.26 reject
 * `resourceVersionMatch` on a watch; 1.27-1.31 reject `sendInitialEvents` unless the WatchList
 * feature gate is on): the watcher then lists instead, for as long as it runs.
 */
import {
  objectKey,
  type KubeObject,
  type ListOptions,
  type Status,
  type WatchOptions,
} from '../api/index.ts';

/** The watch request of a watch-list: initial state not older than `resourceVersion` (unset: the latest). */
export function watchListRequest(
  selectors: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
  resourceVersion: string | undefined,
  timeoutSeconds: number,
): Omit<WatchOptions, 'signal' | 'onActivity'> {
  return {
    ...selectors,
    sendInitialEvents: true,
    resourceVersionMatch: 'NotOlderThan',
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    allowWatchBookmarks: true,
    timeoutSeconds,
  };
}

/** Whether the server refused a watch-list request as such (so listing is what works). */
export function isWatchListRefused(failure: unknown): boolean {
  if (typeof failure !== 'object' || failure === null) return false;
  const shape = failure as { code?: unknown; reason?: unknown; status?: Partial<Status> };
  const code = typeof shape.code === 'number' ? shape.code : shape.status?.code;
  const reason = typeof shape.reason === 'string' ? shape.reason : shape.status?.reason;
  return code === 400 || code === 422 || reason === 'Invalid' || reason === 'BadRequest';
}

/**
 * The initial state as it streams in, keyed like the cache, so a server that sent a change
 * before the end bookmark still yields the right snapshot. Objects are kept as `prepare`
 * returns them (the informer's transform and compaction), never as the server sent them.
 */
export class InitialEvents<T extends KubeObject> {
  readonly #objects = new Map<string, T>();
  readonly #prepare: (object: T) => T;

  constructor(prepare: (object: T) => T) {
    this.#prepare = prepare;
  }

  apply(type: 'added' | 'modified' | 'deleted', object: T): void {
    const key = objectKey(object);
    if (type === 'deleted') this.#objects.delete(key);
    else this.#objects.set(key, this.#prepare(object));
  }

  get size(): number {
    return this.#objects.size;
  }

  /** The snapshot; the accumulator is empty afterwards. */
  take(): T[] {
    const objects = [...this.#objects.values()];
    this.#objects.clear();
    return objects;
  }
}
