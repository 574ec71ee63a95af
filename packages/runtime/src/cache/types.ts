/**
 * The public contracts of the cache: stores and indexers, informers and their event handlers,
 * listers and the shared informer factory.
 *
 * Ownership: every object handed out by a store, lister, informer or handler is the cache's
 * own copy, shared with every other reader. Treat it as read-only; copy it
 * (`structuredClone(obj)`) before changing it, e.g. to build an update. With `freeze: true`
 * (the default when `NODE_ENV=development`) cached objects are deep-frozen and a mutation
 * throws a TypeError at the offending line.
 */
import type { KubeObject, PartialObjectMetadata, ResourceDescriptor } from '../api/index.ts';
import type { Logger } from '../log/logger.ts';
import type { WatcherHealth, WatcherOptions } from '../watch/types.ts';
import type { Selector } from './label-selector.ts';

/** Computes the values an object is indexed under (e.g. its owner UIDs). */
export type IndexFunc<T> = (obj: T) => readonly string[];
export type Indexers<T> = Readonly<Record<string, IndexFunc<T>>>;

/** The name of the built-in index over `metadata.namespace` (cluster-scoped objects: `''`). */
export const NAMESPACE_INDEX = 'namespace';

/** A read-only view of cached objects keyed by `objectKey` (`namespace/name` or `name`). */
export interface Store<T extends KubeObject> {
  get(key: string): T | undefined;
  has(key: string): boolean;
  list(): readonly T[];
  keys(): readonly string[];
  readonly size: number;
}

/** A store that also maintains secondary indexes. */
export interface Indexer<T extends KubeObject> extends Store<T> {
  /** Objects whose index function `indexName` returned `value`. Throws for an unknown index. */
  byIndex(indexName: string, value: string): readonly T[];
  /** Keys of the objects {@link byIndex} would return. */
  indexKeys(indexName: string, value: string): readonly string[];
  /** Every value `indexName` currently holds objects under. */
  indexValues(indexName: string): readonly string[];
  /**
   * Adds index functions; existing objects are indexed at once. Re-adding the same function
   * under the same name is a no-op; a different function under a taken name throws.
   */
  addIndexers(indexers: Indexers<T>): void;
}

/** What a handler's `add` is told: whether the object came with the initial list. */
export interface AddInfo {
  readonly isInInitialList: boolean;
}

/**
 * What a handler's `delete` is told. `finalStateUnknown`: the deletion was inferred from a
 * relist (the watch missed it), so `obj` is the last state the cache knew, not the state at
 * deletion.
 */
export interface DeleteInfo {
  readonly finalStateUnknown: boolean;
}

/**
 * Callbacks for changes to an informer's objects. Per handler, calls are serial and in order
 * (a returned promise is awaited before the next call to the same handler); handlers do not
 * wait for each other. A handler that throws or rejects is logged and counted, and keeps
 * receiving later events. `update` is also called by resyncs, with `oldObj === newObj`.
 */
export interface EventHandler<T extends KubeObject> {
  add?(obj: T, info: AddInfo): void | Promise<void>;
  update?(oldObj: T, newObj: T): void | Promise<void>;
  delete?(obj: T, info: DeleteInfo): void | Promise<void>;
}

export interface HandlerOptions {
  /** Calls `update(obj, obj)` for every cached object this often; default: the informer's. */
  readonly resyncPeriodMs?: number;
  /** Names the handler in logs and metrics. */
  readonly name?: string;
}

/** A registered handler. */
export interface HandlerRegistration {
  /** `true` once the handler has been given every object of the initial list (or of the cache when registered late). */
  hasSynced(): boolean;
  /** Unregisters; no calls start after this returns. Resolves once an in-flight call settled. */
  remove(): Promise<void>;
  /** Calls to this handler that threw or rejected. */
  readonly errors: number;
}

/**
 * A transform applied to every object before it is cached (e.g. {@link dropManagedFields}).
 * It may return a trimmed copy or the same object; `metadata.name`, `namespace`, `uid` and
 * `resourceVersion` are restored if it drops them, since the cache needs them.
 */
export type Transform<T> = (obj: T) => T;

export interface InformerOptions<T extends KubeObject> {
  /** Watch one namespace only (namespaced resources). */
  readonly namespace?: string;
  /** Server-side label filter; a string is parsed (and rejected early if malformed). */
  readonly labelSelector?: string | Selector;
  readonly fieldSelector?: string;
  readonly transform?: Transform<T>;
  /**
   * Keep `metadata.managedFields` in cached objects. Default false: it is server-side apply
   * bookkeeping, often the larger part of an object, and updating an object without it leaves
   * the server's copy unchanged. Keep it only to read field ownership from the cache.
   */
  readonly keepManagedFields?: boolean;
  /** Resync period for handlers that do not set their own; default none. */
  readonly resyncPeriodMs?: number;
  readonly indexers?: Indexers<T>;
  /** Deep-freeze cached objects so mutations throw; default `NODE_ENV === 'development'`. */
  readonly freeze?: boolean;
  /**
   * How long `stop()` waits for handler calls in flight before giving up on them (logged);
   * default 10 000 ms, so a handler that never settles cannot hang a shutdown.
   */
  readonly stopTimeoutMs?: number;
  readonly logger?: Logger;
  /** Low-level watcher tuning (idle timeout, page size, backoff, clock). */
  readonly watcher?: Omit<
    WatcherOptions,
    'labelSelector' | 'fieldSelector' | 'signal' | 'logger' | 'prepare'
  >;
}

/** Lists and gets from the cache, never from the API server. */
export interface Lister<T extends KubeObject> {
  /**
   * `get(namespace, name)` for a namespaced object, `get(name)` for a cluster-scoped one.
   */
  get(namespaceOrName: string, name?: string): T | undefined;
  /** All cached objects, or those matching `selector` (string or parsed). */
  list(selector?: string | Selector): readonly T[];
  byIndex(indexName: string, value: string): readonly T[];
  /** A lister restricted to one namespace (uses the namespace index). */
  namespace(namespace: string): NamespaceLister<T>;
}

export interface NamespaceLister<T extends KubeObject> {
  get(name: string): T | undefined;
  list(selector?: string | Selector): readonly T[];
}

/** Health of an informer: its watcher's plus handler failure counts. */
export interface InformerHealth extends WatcherHealth {
  readonly synced: boolean;
  readonly handlerErrors: number;
}

/**
 * A cache of one collection kept up to date by a list+watch, notifying handlers of changes.
 * Objects it hands out are shared and read-only (see the module comment).
 */
export interface Informer<T extends KubeObject> {
  /** The cache; readable at any time (empty until synced). */
  readonly indexer: Indexer<T>;
  readonly lister: Lister<T>;
  /**
   * Registers a handler; allowed before or after `start()`. A handler added after objects are
   * cached first gets an `add` for each of them (`isInInitialList: true`).
   */
  addEventHandler(handler: EventHandler<T>, options?: HandlerOptions): HandlerRegistration;
  addIndexers(indexers: Indexers<T>): void;
  /** `true` once the initial list is in the cache. */
  hasSynced(): boolean;
  /**
   * Resolves `true` once synced, `false` if `signal` aborts or the informer stops first.
   * Never rejects.
   */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean>;
  /** Starts listing and watching; idempotent. */
  start(): void;
  /**
   * Stops the watch and handler delivery; resolves when the watch has ended and handler calls
   * in flight settled (or `stopTimeoutMs` passed). Idempotent.
   */
  stop(): Promise<void>;
  readonly started: boolean;
  health(): InformerHealth;
}

/** What identifies a shared informer: the resource and the scope of its watch. */
export interface InformerScope {
  readonly namespace?: string;
  readonly labelSelector?: string | Selector;
  readonly fieldSelector?: string;
}

/**
 * A counted reference to a shared informer. The holder may read its cache and add handlers
 * until it releases the lease; handlers it added should be removed first. After the release,
 * drop references to the lease and its informer too: a stopped informer still holds its
 * cache, which is freed only once nothing references it.
 */
export interface InformerLease<T extends KubeObject> {
  readonly informer: Informer<T>;
  /**
   * Drops this reference; idempotent. When it was the informer's last one (and the informer
   * is not pinned by `informerFor`), the informer stops its watch and leaves the factory, and
   * the promise resolves once it stopped; otherwise it resolves at once.
   */
  release(): Promise<void>;
}

/** One informer of a factory as `informers()` reports it. */
export interface SharedInformerEntry {
  readonly resource: ResourceDescriptor;
  readonly scope: InformerScope;
  /** Created by `metadataInformerFor` or `acquireMetadata`. */
  readonly metadataOnly: boolean;
  readonly informer: Informer<KubeObject>;
  /** Leases not yet released. */
  readonly references: number;
  /** Created or asked for through `informerFor`: kept until the factory stops. */
  readonly pinned: boolean;
}

/**
 * Hands out one informer per (resource, namespace, label selector, field selector), shared by
 * every caller that asks, so one watch feeds all their handlers and listers.
 */
export interface SharedInformerFactory {
  /**
   * The informer of a scope, pinned until the factory stops (leases never remove it).
   * `T` follows from a typed descriptor (`informerFor(deployments)` is an `Informer<Deployment>`).
   */
  informerFor<T extends KubeObject>(resource: ResourceDescriptor<T>, scope?: InformerScope): Informer<T>;
  /**
   * The metadata-only informer of `resource` in `scope` (controller-runtime's `OnlyMetadata`):
   * it lists and watches `PartialObjectMetadata` (the object's apiVersion, kind and metadata),
   * so data, spec and status are never transferred or cached. Distinct from the full
   * informer of the same resource and scope: each has its own watch and cache.
   */
  metadataInformerFor(resource: ResourceDescriptor, scope?: InformerScope): Informer<PartialObjectMetadata>;
  /**
   * A counted reference to the informer of a scope, created (and started, if the factory has
   * started) on the first one. Releasing the last reference stops the watch and frees the cache.
   */
  acquire<T extends KubeObject>(resource: ResourceDescriptor<T>, scope?: InformerScope): InformerLease<T>;
  /** A counted reference to the metadata-only informer of a scope (see `metadataInformerFor`). */
  acquireMetadata(resource: ResourceDescriptor, scope?: InformerScope): InformerLease<PartialObjectMetadata>;
  /** Starts every informer created so far; informers created later start at once. */
  start(): void;
  /** Resolves `true` when every started informer synced, `false` if `signal` aborts first. */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean>;
  /** Stops every informer. */
  stop(): Promise<void>;
  /** The informers the factory holds now (released ones are gone) with their scope, e.g. for health endpoints. */
  informers(): readonly SharedInformerEntry[];
}
