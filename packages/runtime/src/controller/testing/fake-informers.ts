/**
 * In-memory stand-ins for the cache contracts, for unit tests of controllers: an informer
 * whose objects the test sets directly (`set` / `remove`), delivering handler calls
 * synchronously, and a factory handing them out. Not a cache implementation: no watch, no
 * indexes beyond the namespace.
 */
import type { KubeObject, PartialObjectMetadata, ResourceDescriptor } from '../../api/index.ts';
import { objectKey } from '../../api/index.ts';
import type {
  EventHandler,
  HandlerRegistration,
  Indexer,
  Informer,
  InformerHealth,
  InformerLease,
  InformerScope,
  Lister,
  SharedInformerEntry,
  SharedInformerFactory,
} from '../../cache/types.ts';

export class FakeInformer<T extends KubeObject> implements Informer<T> {
  readonly #objects = new Map<string, T>();
  readonly #handlers = new Set<EventHandler<T>>();
  #synced = false;
  #syncWaiters: (() => void)[] = [];
  started = false;

  /** Fills the cache and marks it synced (handlers get `add` for each object). */
  sync(objects: readonly T[] = []): void {
    for (const o of objects) this.#objects.set(objectKey(o), o);
    this.#synced = true;
    for (const h of this.#handlers) for (const o of objects) void h.add?.(o, { isInInitialList: true });
    for (const w of this.#syncWaiters.splice(0)) w();
  }

  set(object: T): void {
    const key = objectKey(object);
    const old = this.#objects.get(key);
    this.#objects.set(key, object);
    for (const h of this.#handlers) {
      if (old === undefined) void h.add?.(object, { isInInitialList: false });
      else void h.update?.(old, object);
    }
  }

  remove(object: T): void {
    this.#objects.delete(objectKey(object));
    for (const h of this.#handlers) void h.delete?.(object, { finalStateUnknown: false });
  }

  readonly indexer: Indexer<T> = {
    get: (key) => this.#objects.get(key),
    has: (key) => this.#objects.has(key),
    list: () => [...this.#objects.values()],
    keys: () => [...this.#objects.keys()],
    get size() {
      return 0;
    },
    byIndex: () => [],
    indexKeys: () => [],
    indexValues: () => [],
    addIndexers: () => undefined,
  };

  readonly lister: Lister<T> = {
    get: (namespaceOrName, name) =>
      this.#objects.get(name === undefined ? namespaceOrName : `${namespaceOrName}/${name}`),
    list: () => [...this.#objects.values()],
    byIndex: () => [],
    namespace: (namespace) => ({
      get: (name) => this.#objects.get(`${namespace}/${name}`),
      list: () => [...this.#objects.values()].filter((o) => o.metadata.namespace === namespace),
    }),
  };

  addEventHandler(handler: EventHandler<T>): HandlerRegistration {
    this.#handlers.add(handler);
    if (this.#synced)
      for (const o of this.#objects.values()) void handler.add?.(o, { isInInitialList: true });
    return {
      hasSynced: () => this.#synced,
      remove: () => {
        this.#handlers.delete(handler);
        return Promise.resolve();
      },
      errors: 0,
    };
  }

  addIndexers(): void {
    // The fake keeps no secondary indexes.
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.#syncWaiters.push(() => resolve(true));
      signal?.addEventListener('abort', () => resolve(false), { once: true });
    });
  }

  start(): void {
    this.started = true;
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  health(): InformerHealth {
    return {
      state: 'watching',
      healthy: this.#synced,
      resourceVersion: undefined,
      lastError: undefined,
      failures: 0,
      reconnects: 0,
      relists: 0,
      stalls: 0,
      lastSyncAt: undefined,
      lastEventAt: undefined,
      synced: this.#synced,
      handlerErrors: 0,
    };
  }
}

interface FakeEntry {
  resource: ResourceDescriptor;
  scope: InformerScope;
  metadataOnly: boolean;
  informer: FakeInformer<KubeObject>;
  references: number;
  pinned: boolean;
}

export class FakeInformerFactory implements SharedInformerFactory {
  readonly #informers = new Map<string, FakeEntry>();

  #entry(resource: ResourceDescriptor, scope: InformerScope, metadataOnly = false): FakeEntry {
    const key = `${resource.group}/${resource.plural}/${scope.namespace ?? ''}${metadataOnly ? '/metadata' : ''}`;
    let entry = this.#informers.get(key);
    if (entry === undefined) {
      entry = {
        resource,
        scope,
        metadataOnly,
        informer: new FakeInformer<KubeObject>(),
        references: 0,
        pinned: false,
      };
      this.#informers.set(key, entry);
    }
    return entry;
  }

  informerFor<T extends KubeObject>(
    resource: ResourceDescriptor,
    scope: InformerScope = {},
  ): FakeInformer<T> {
    const entry = this.#entry(resource, scope);
    entry.pinned = true;
    return entry.informer as unknown as FakeInformer<T>;
  }

  /** A separate fake per resource and scope; tests push PartialObjectMetadata into it. */
  metadataInformerFor(
    resource: ResourceDescriptor,
    scope: InformerScope = {},
  ): FakeInformer<PartialObjectMetadata> {
    const entry = this.#entry(resource, scope, true);
    entry.pinned = true;
    return entry.informer as FakeInformer<PartialObjectMetadata>;
  }

  /** Counts references; releasing the last one of an unpinned informer forgets it. */
  acquire<T extends KubeObject>(resource: ResourceDescriptor, scope: InformerScope = {}): InformerLease<T> {
    return this.#lease(this.#entry(resource, scope));
  }

  acquireMetadata(
    resource: ResourceDescriptor,
    scope: InformerScope = {},
  ): InformerLease<PartialObjectMetadata> {
    return this.#lease(this.#entry(resource, scope, true));
  }

  #lease<T extends KubeObject>(entry: FakeEntry): InformerLease<T> {
    entry.references++;
    let released = false;
    return {
      informer: entry.informer as unknown as FakeInformer<T>,
      release: () => {
        if (released) return Promise.resolve();
        released = true;
        entry.references--;
        if (entry.references === 0 && !entry.pinned) {
          for (const [key, value] of this.#informers) if (value === entry) this.#informers.delete(key);
        }
        return Promise.resolve();
      },
    };
  }

  /** The informer a scope has now, without creating or counting one. */
  peek<T extends KubeObject>(
    resource: ResourceDescriptor,
    scope: InformerScope = {},
  ): FakeInformer<T> | undefined {
    const key = `${resource.group}/${resource.plural}/${scope.namespace ?? ''}`;
    return this.#informers.get(key)?.informer as unknown as FakeInformer<T> | undefined;
  }

  start(): void {
    for (const { informer } of this.#informers.values()) informer.start();
  }

  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all(
      [...this.#informers.values()].map((e) => e.informer.waitForCacheSync(signal)),
    );
    return results.every(Boolean);
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  informers(): readonly SharedInformerEntry[] {
    return [...this.#informers.values()];
  }
}
