/**
 * The client a reconciler is given: reads come from the shared informer cache (fast, no API
 * load, possibly a little stale), writes go to the API server.
 *
 * Reads honour scopes. Each kind is read through the scopes the client is given for it (the
 * controller's own `.for/.owns/.watches` scopes, else the manager's cache scope for the kind):
 * a get or list inside a scope reads that scope's informers (starting them on the first read
 * and waiting for their first list, as controller-runtime's client does); a read outside every
 * scope throws `CachedClientError('OutsideScope')` and never starts a wider watch. Index
 * queries (`matchingFields`, controller-runtime's `MatchingFields`) read the informers'
 * indexes; an index nobody declared throws `CachedClientError('UnknownIndex')`.
 *
 * The client holds a lease on every informer it started reading; `release()` drops them (the
 * manager does so when the controller is removed or the manager stops).
 *
 * Objects returned by reads are the cache's own copies, shared with every reader: treat them
 * as read-only and `structuredClone` before changing them.
 */
import {
  objectKey,
  type KubeObject,
  type PartialObjectMetadata,
  type ResourceDescriptor,
} from '../api/index.ts';
import type { Indexers, SharedInformerFactory } from '../cache/types.ts';
import type { Selector } from '../cache/label-selector.ts';
import { toSelector } from '../cache/label-selector-parser.ts';
import {
  describeScope,
  normalizeScope,
  withDefaults,
  type NormalizedScope,
  type ResourceScope,
} from '../cache/resource-scope.ts';
import { acquireScopedCache, type ScopedCache } from '../cache/scoped-cache.ts';
import type { ResourceClient } from '../client/resource-client.ts';

export interface CachedReadOptions {
  /** Required for namespaced kinds when getting one object; limits a list when given. */
  readonly namespace?: string;
  /** Aborts waiting for the cache to sync (first read of a kind). */
  readonly signal?: AbortSignal;
}

export interface CachedListOptions extends CachedReadOptions {
  readonly labelSelector?: string | Selector;
  /**
   * Objects whose index holds the given value, for every entry (controller-runtime's
   * `MatchingFields`): `{ 'spec.nodeName': 'node-1' }` reads the index named `spec.nodeName`.
   * Declare indexes with `manager.indexField(resource, name, fn)` before reading.
   */
  readonly matchingFields?: Readonly<Record<string, string>>;
}

/** One kind: cached reads, API-server writes (see the module comment). */
export interface ObjectClient<T extends KubeObject> {
  readonly resource: ResourceDescriptor<T>;
  /** The cached object, or `undefined` when the cache has none. */
  get(name: string, options?: CachedReadOptions): Promise<T | undefined>;
  list(options?: CachedListOptions): Promise<readonly T[]>;
  /** The API-server client: every verb, including uncached reads (`api.get` throws NotFound). */
  readonly api: ResourceClient<T>;
  create: ResourceClient<T>['create'];
  update: ResourceClient<T>['update'];
  updateStatus: ResourceClient<T>['updateStatus'];
  patch: ResourceClient<T>['patch'];
  apply: ResourceClient<T>['apply'];
  delete: ResourceClient<T>['delete'];
  modify: ResourceClient<T>['modify'];
}

/** Cached reads of a kind's metadata-only informers: `PartialObjectMetadata`, never data. */
export interface MetadataReader {
  readonly resource: ResourceDescriptor;
  get(name: string, options?: CachedReadOptions): Promise<PartialObjectMetadata | undefined>;
  list(options?: CachedListOptions): Promise<readonly PartialObjectMetadata[]>;
}

/** Hands out an {@link ObjectClient} per kind. */
export interface Client {
  /** `T` follows from a typed descriptor: `client.resource(deployments)` is an `ObjectClient<Deployment>`. */
  resource<T extends KubeObject>(resource: ResourceDescriptor<T>): ObjectClient<T>;
  /**
   * Reads of a kind's metadata-only cache (controller-runtime's reads into
   * PartialObjectMetadata), in the same scopes as `resource(kind)`.
   */
  metadata(resource: ResourceDescriptor): MetadataReader;
}

/** A {@link Client} whose informer leases its owner releases. */
export interface CachedClient extends Client {
  /**
   * Releases every informer lease the reads took; reads after this throw `Released`.
   * Idempotent; resolves once informers nobody else holds stopped.
   */
  release(): Promise<void>;
}

export interface CachedClientOptions {
  readonly informers: SharedInformerFactory;
  /** Creates the API client of a kind (e.g. `(r) => createResourceClient(kubeConfig, r)`). */
  readonly apiClient: (resource: ResourceDescriptor) => ResourceClient<KubeObject>;
  /**
   * The scopes reads of a kind may use, normalized (see `normalizeScope`). Default: `scope`
   * for every kind (its namespaces apply to namespaced kinds only).
   */
  readonly scopesFor?: (resource: ResourceDescriptor) => readonly NormalizedScope[];
  /** The scope of every kind when `scopesFor` is not given; default every namespace. */
  readonly scope?: ResourceScope;
  /** Index functions added to a kind's informers before its first read. */
  readonly indexersFor?: (resource: ResourceDescriptor) => Indexers<KubeObject> | undefined;
  /** Names the reader in errors, e.g. `controller "foo"`; default `the manager's client`. */
  readonly owner?: string;
  /** Says how to widen the scope of a kind in an OutsideScope error. */
  readonly widenHint?: (resource: ResourceDescriptor) => string;
}

export type CachedClientErrorReason = 'MissingNamespace' | 'OutsideScope' | 'UnknownIndex' | 'Released';

export class CachedClientError extends Error {
  readonly reason: CachedClientErrorReason;
  constructor(reason: CachedClientErrorReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CachedClientError';
    this.reason = reason;
  }
}

export function createCachedClient(options: CachedClientOptions): CachedClient {
  const clients = new Map<string, ObjectClient<KubeObject>>();
  const readers = new Map<string, MetadataReader>();
  const caches = new Map<string, ScopedCache<KubeObject>>();
  const state = { released: false };
  const defaults = options.scope ?? {};
  const scopesFor =
    options.scopesFor ??
    ((resource: ResourceDescriptor) => [
      normalizeScope(resource, withDefaults(resource, undefined, defaults), 'cached client scope'),
    ]);
  const reader: Reader = {
    options,
    state,
    scopesFor,
    cacheFor(resource, scope, metadataOnly) {
      if (state.released) {
        throw new CachedClientError(
          'Released',
          `${options.owner ?? "the manager's client"}: read of ${resource.plural} after release(); the controller was removed or the manager stopped`,
        );
      }
      const key = JSON.stringify([resource.group, resource.version, resource.plural, scope, metadataOnly]);
      let cache = caches.get(key);
      if (cache === undefined) {
        cache = acquireScopedCache(options.informers, resource, scope, { metadataOnly });
        // Index functions read whole objects: they index the full caches only.
        const indexers = metadataOnly ? undefined : options.indexersFor?.(resource);
        if (indexers !== undefined) cache.addIndexers(indexers);
        caches.set(key, cache);
      }
      return cache;
    },
  };
  return {
    resource<T extends KubeObject>(resource: ResourceDescriptor<T>): ObjectClient<T> {
      const key = `${resource.group}/${resource.version}/${resource.plural}`;
      let client = clients.get(key);
      if (client === undefined) {
        client = createObjectClient(resource, reader, false);
        clients.set(key, client);
      }
      return client as unknown as ObjectClient<T>;
    },
    metadata(resource: ResourceDescriptor): MetadataReader {
      const key = `${resource.group}/${resource.version}/${resource.plural}`;
      let metadataReader = readers.get(key);
      if (metadataReader === undefined) {
        const reads = createObjectClient(resource, reader, true);
        metadataReader = {
          resource,
          get: (name, o) => reads.get(name, o) as Promise<PartialObjectMetadata | undefined>,
          list: (o) => reads.list(o) as Promise<readonly PartialObjectMetadata[]>,
        };
        readers.set(key, metadataReader);
      }
      return metadataReader;
    },
    async release() {
      state.released = true;
      const all = [...caches.values()];
      caches.clear();
      await Promise.all(all.map((c) => c.release()));
    },
  };
}

interface Reader {
  readonly options: CachedClientOptions;
  readonly state: { readonly released: boolean };
  scopesFor(resource: ResourceDescriptor): readonly NormalizedScope[];
  cacheFor(
    resource: ResourceDescriptor,
    scope: NormalizedScope,
    metadataOnly: boolean,
  ): ScopedCache<KubeObject>;
}

/** Reads through the full caches of the kind, or its metadata-only caches when `metadataOnly`. */
function createObjectClient(
  resource: ResourceDescriptor,
  reader: Reader,
  metadataOnly: boolean,
): ObjectClient<KubeObject> {
  const api = reader.options.apiClient(resource);
  const owner = reader.options.owner ?? "the manager's client";
  /** The caches a read in `namespace` may use, synced; throws OutsideScope when none covers it. */
  const cachesFor = async (
    call: string,
    namespace: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ScopedCache<KubeObject>[]> => {
    const scopes = reader.scopesFor(resource);
    // A read across namespaces merges every scope; a read in one namespace needs a scope covering it.
    const inside =
      namespace === undefined
        ? scopes
        : scopes.filter((s) => s.namespaces === undefined || s.namespaces.includes(namespace));
    if (inside.length === 0) {
      const hint = reader.options.widenHint?.(resource) ?? 'widen the cache scope';
      throw new CachedClientError(
        'OutsideScope',
        `${call}: ${owner} caches ${resource.plural} only in ${scopes.map(describeScope).join('; ') || 'no scope'}, so a read in namespace ${JSON.stringify(namespace)} is outside the cache; ${hint}, or read from the API server with .api`,
      );
    }
    const caches = inside.map((scope) => reader.cacheFor(resource, scope, metadataOnly));
    const synced = await Promise.all(caches.map((c) => c.waitForCacheSync(signal)));
    if (!synced.every(Boolean)) {
      if (signal?.reason instanceof Error) throw signal.reason;
      if (reader.state.released) {
        throw new CachedClientError(
          'Released',
          `${call}: ${owner} was released while the read waited for the cache`,
        );
      }
      throw new Error(`${call}: cache for ${resource.plural} did not sync: the informer stopped`);
    }
    return caches;
  };
  const nameOf = (call: string) => `client.resource(${resource.kind}).${call}`;
  return {
    resource,
    api,
    async get(name, readOptions = {}) {
      const call = nameOf(`get(${JSON.stringify(name)})`);
      if (resource.namespaced && !readOptions.namespace) {
        throw new CachedClientError(
          'MissingNamespace',
          `${call}: ${resource.kind} is namespaced; pass { namespace }`,
        );
      }
      const namespace = resource.namespaced ? readOptions.namespace : undefined;
      for (const cache of await cachesFor(call, namespace, readOptions.signal)) {
        const found = cache.get(namespace, name);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    async list(listOptions = {}) {
      const call = nameOf('list()');
      const namespace = resource.namespaced && listOptions.namespace ? listOptions.namespace : undefined;
      const caches = await cachesFor(call, namespace, listOptions.signal);
      const fields = Object.entries(listOptions.matchingFields ?? {});
      const read = (cache: ScopedCache<KubeObject>): readonly KubeObject[] =>
        fields.length === 0
          ? cache.list(namespace, listOptions.labelSelector)
          : matching(cache, fields, namespace, listOptions.labelSelector, call);
      if (caches.length === 1 && caches[0] !== undefined) return read(caches[0]);
      // Scopes of one kind may overlap (two label selectors): one copy of each object.
      const seen = new Set<string>();
      const merged: KubeObject[] = [];
      for (const cache of caches) {
        for (const object of read(cache)) {
          const key = objectKey(object);
          if (seen.has(key)) continue;
          seen.add(key);
          merged.push(object);
        }
      }
      return merged;
    },
    create: (object, o) => api.create(object, o),
    update: (object, o) => api.update(object, o),
    updateStatus: (object, o) => api.updateStatus(object, o),
    patch: (name, p, o) => api.patch(name, p, o),
    apply: (configuration, o) => api.apply(configuration, o),
    delete: (name, o) => api.delete(name, o),
    modify: (name, m, o) => api.modify(name, m, o),
  };
}

/** Objects every `[index, value]` of `fields` holds, filtered by `labelSelector`. */
function matching(
  cache: ScopedCache<KubeObject>,
  fields: readonly (readonly [string, string])[],
  namespace: string | undefined,
  labelSelector: string | Selector | undefined,
  call: string,
): readonly KubeObject[] {
  const lookup = (index: string, value: string): readonly KubeObject[] => {
    try {
      return cache.byIndex(index, value, namespace);
    } catch (error) {
      throw new CachedClientError(
        'UnknownIndex',
        `${call}: matchingFields names the index ${JSON.stringify(index)}, which the cache of ${cache.resource.plural} does not have (${(error as Error).message}); declare it with manager.indexField(<${cache.resource.kind} descriptor>, ${JSON.stringify(index)}, (obj) => [values]) before reading`,
        { cause: error },
      );
    }
  };
  const [first, ...rest] = fields;
  if (first === undefined) return [];
  let result = lookup(first[0], first[1]);
  for (const [index, value] of rest) {
    const also = new Set(lookup(index, value));
    result = result.filter((o) => also.has(o));
  }
  if (labelSelector === undefined) return result;
  const selector = toSelector(labelSelector);
  return selector.isEmpty() ? result : result.filter((o) => selector.matches(o.metadata.labels));
}
