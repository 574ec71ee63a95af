/**
 * One reader over the informers of a {@link NormalizedScope}: one informer per namespace of
 * the scope (or one over every namespace), each held by a lease from the shared factory. Gets
 * go to the informer of the object's namespace; lists and index queries across the scope merge
 * every informer's objects.
 *
 * Contract: reads never start informers outside the scope; a read in a namespace the scope
 * does not cover throws (callers check `covers` first to say so in their own terms).
 * `release()` drops the leases: informers nobody else holds stop and free their caches.
 * Objects are the cache's shared, read-only objects (see types.ts).
 */
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import type { Selector } from './label-selector.ts';
import { coversNamespace, describeScope, informerScopes, type NormalizedScope } from './resource-scope.ts';
import type { Indexers, Informer, InformerLease, SharedInformerFactory } from './types.ts';

export interface ScopedCache<T extends KubeObject> {
  readonly resource: ResourceDescriptor<T>;
  readonly scope: NormalizedScope;
  /** The informers behind the reader (one per namespace of the scope, or one). */
  readonly informers: readonly Informer<T>[];
  /** Whether a read in `namespace` (`undefined`: across namespaces) is inside the scope. */
  covers(namespace: string | undefined): boolean;
  /** `namespace` is required for namespaced kinds and ignored for cluster-scoped ones. */
  get(namespace: string | undefined, name: string): T | undefined;
  /** Objects in `namespace` (or across the scope), filtered by `selector`. */
  list(namespace: string | undefined, selector?: string | Selector): readonly T[];
  /** Objects `indexName` holds under `value`, in `namespace` (or across the scope). Throws for an unknown index. */
  byIndex(indexName: string, value: string, namespace?: string): readonly T[];
  /** Adds index functions to every informer of the scope (see `Indexer.addIndexers`). */
  addIndexers(indexers: Indexers<T>): void;
  /** Starts informers not started yet and resolves `true` once all synced. */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean>;
  /** Drops the leases; idempotent. Resolves once informers nobody else holds stopped. */
  release(): Promise<void>;
}

class MultiNamespaceCache<T extends KubeObject> implements ScopedCache<T> {
  readonly resource: ResourceDescriptor<T>;
  readonly scope: NormalizedScope;
  readonly #leases: readonly InformerLease<T>[];
  /** Informer per namespace; `undefined` key: the one over every namespace. */
  readonly #byNamespace: ReadonlyMap<string | undefined, Informer<T>>;
  #released: Promise<void> | undefined;

  constructor(
    factory: SharedInformerFactory,
    resource: ResourceDescriptor<T>,
    scope: NormalizedScope,
    metadataOnly: boolean,
  ) {
    this.resource = resource;
    this.scope = scope;
    this.#leases = informerScopes(scope).map((s) =>
      metadataOnly
        ? (factory.acquireMetadata(resource, s) as unknown as InformerLease<T>)
        : factory.acquire(resource, s),
    );
    const byNamespace = new Map<string | undefined, Informer<T>>();
    informerScopes(scope).forEach((s, i) => {
      const lease = this.#leases[i];
      if (lease !== undefined) byNamespace.set(s.namespace, lease.informer);
    });
    this.#byNamespace = byNamespace;
  }

  get informers(): readonly Informer<T>[] {
    return this.#leases.map((l) => l.informer);
  }

  covers(namespace: string | undefined): boolean {
    return coversNamespace(this.scope, namespace);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    if (!this.resource.namespaced) return this.#informer(undefined).lister.get(name);
    if (namespace === undefined || namespace === '') {
      throw new Error(
        `ScopedCache.get(${JSON.stringify(name)}): ${this.resource.kind} is namespaced; pass a namespace`,
      );
    }
    return this.#informer(namespace).lister.get(namespace, name);
  }

  list(namespace: string | undefined, selector?: string | Selector): readonly T[] {
    if (this.resource.namespaced && namespace !== undefined && namespace !== '') {
      return this.#informer(namespace).lister.namespace(namespace).list(selector);
    }
    return this.#merge((informer) => informer.lister.list(selector));
  }

  byIndex(indexName: string, value: string, namespace?: string): readonly T[] {
    if (this.resource.namespaced && namespace !== undefined && namespace !== '') {
      return this.#informer(namespace)
        .indexer.byIndex(indexName, value)
        .filter((o) => o.metadata.namespace === namespace);
    }
    return this.#merge((informer) => informer.indexer.byIndex(indexName, value));
  }

  addIndexers(indexers: Indexers<T>): void {
    for (const informer of this.informers) informer.addIndexers(indexers);
  }

  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#released !== undefined) return false;
    for (const informer of this.informers) if (!informer.started) informer.start();
    const synced = await Promise.all(this.informers.map((i) => i.waitForCacheSync(signal)));
    return synced.every(Boolean);
  }

  release(): Promise<void> {
    this.#released ??= Promise.all(this.#leases.map((l) => l.release())).then(() => undefined);
    return this.#released;
  }

  #informer(namespace: string | undefined): Informer<T> {
    const informer = this.#byNamespace.get(this.scope.namespaces === undefined ? undefined : namespace);
    if (informer === undefined) {
      throw new Error(
        `namespace ${JSON.stringify(namespace)} is outside this cache of ${this.resource.plural} (${describeScope(this.scope)})`,
      );
    }
    return informer;
  }

  /** One informer per namespace: their objects never overlap, so concatenation merges them. */
  #merge(read: (informer: Informer<T>) => readonly T[]): readonly T[] {
    const informers = this.informers;
    if (informers.length === 1 && informers[0] !== undefined) return read(informers[0]);
    return informers.flatMap(read);
  }
}

/**
 * Acquires the informers of `scope` from `factory` and returns one reader over them. Informers
 * are shared with every other holder of the same scope; call `release()` when done.
 */
export function acquireScopedCache<T extends KubeObject>(
  factory: SharedInformerFactory,
  resource: ResourceDescriptor<T>,
  scope: NormalizedScope,
  form: { readonly metadataOnly?: boolean } = {},
): ScopedCache<T> {
  return new MultiNamespaceCache(factory, resource, scope, form.metadataOnly === true);
}
