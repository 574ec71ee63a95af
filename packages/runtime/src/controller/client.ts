/**
 * The client a reconciler is given: reads come from the shared informer cache (fast, no API
 * load, possibly a little stale), writes go to the API server. Reading a kind nothing watches
 * yet starts a shared informer for it and waits for its first list, as controller-runtime's
 * client does.
 *
 * Objects returned by reads are the cache's own copies, shared with every reader: treat them
 * as read-only and `structuredClone` before changing them.
 */
import type { KubeObject, PartialObjectMetadata, ResourceDescriptor } from '../api/index.ts';
import type { Informer, InformerScope, SharedInformerFactory } from '../cache/types.ts';
import type { Selector } from '../cache/label-selector.ts';
import type { ResourceClient } from '../client/resource-client.ts';

export interface CachedReadOptions {
  /** Required for namespaced kinds when getting one object; limits a list when given. */
  readonly namespace?: string;
  /** Aborts waiting for the cache to sync (first read of a kind). */
  readonly signal?: AbortSignal;
}

export interface CachedListOptions extends CachedReadOptions {
  readonly labelSelector?: string | Selector;
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

/**
 * Cached reads of one kind by metadata only, from its metadata-only informer (the one
 * `owns(kind, { metadataOnly: true })` fills; started on first read otherwise). Objects are
 * `PartialObjectMetadata`: the object's apiVersion, kind and metadata.
 */
export interface MetadataReader {
  readonly resource: ResourceDescriptor;
  get(name: string, options?: CachedReadOptions): Promise<PartialObjectMetadata | undefined>;
  list(options?: CachedListOptions): Promise<readonly PartialObjectMetadata[]>;
}

/** Hands out an {@link ObjectClient} per kind. */
export interface Client {
  /** `T` follows from a typed descriptor: `client.resource(deployments)` is an `ObjectClient<Deployment>`. */
  resource<T extends KubeObject>(resource: ResourceDescriptor<T>): ObjectClient<T>;
  /** Reads of a kind's metadata-only cache (controller-runtime's reads into PartialObjectMetadata). */
  metadata(resource: ResourceDescriptor): MetadataReader;
}

export interface CachedClientOptions {
  readonly informers: SharedInformerFactory;
  /** Creates the API client of a kind (e.g. `(r) => createResourceClient(kubeConfig, r)`). */
  readonly apiClient: (resource: ResourceDescriptor) => ResourceClient<KubeObject>;
  /** The scope of informers created for reads (its namespace applies to namespaced kinds only). */
  readonly scope?: InformerScope;
}

export class CachedClientError extends Error {
  readonly reason = 'MissingNamespace';
  constructor(message: string) {
    super(message);
    this.name = 'CachedClientError';
  }
}

export function createCachedClient(options: CachedClientOptions): Client {
  const clients = new Map<string, ObjectClient<KubeObject>>();
  const readers = new Map<string, MetadataReader>();
  return {
    resource<T extends KubeObject>(resource: ResourceDescriptor<T>): ObjectClient<T> {
      const key = `${resource.group}/${resource.version}/${resource.plural}`;
      let client = clients.get(key);
      if (client === undefined) {
        client = createObjectClient(resource, options);
        clients.set(key, client);
      }
      return client as unknown as ObjectClient<T>;
    },
    metadata(resource: ResourceDescriptor): MetadataReader {
      const key = `${resource.group}/${resource.version}/${resource.plural}`;
      let reader = readers.get(key);
      if (reader === undefined) {
        const scope = scopeFor(resource, options.scope);
        reader = {
          resource,
          ...cachedReads(resource, (signal) =>
            synced(options.informers.metadataInformerFor(resource, scope), resource, signal),
          ),
        };
        readers.set(key, reader);
      }
      return reader;
    },
  };
}

/** The scope of informers created for reads: a namespace scope applies to namespaced kinds only. */
function scopeFor(resource: ResourceDescriptor, scope: InformerScope | undefined): InformerScope {
  const { namespace, ...rest } = scope ?? {};
  return resource.namespaced && namespace !== undefined ? { ...rest, namespace } : rest;
}

/** Starts `informer` if nothing has and waits for its first list. */
async function synced<T extends KubeObject>(
  informer: Informer<T>,
  resource: ResourceDescriptor,
  signal: AbortSignal | undefined,
): Promise<Informer<T>> {
  if (!informer.hasSynced()) {
    if (!informer.started) informer.start();
    if (!(await informer.waitForCacheSync(signal))) {
      throw signal?.reason instanceof Error
        ? signal.reason
        : new Error(`cache for ${resource.plural} did not sync: the informer stopped`);
    }
  }
  return informer;
}

/** `get` and `list` over the cache `informerOf` gives, once synced. */
function cachedReads<T extends KubeObject>(
  resource: ResourceDescriptor,
  informerOf: (signal: AbortSignal | undefined) => Promise<Informer<T>>,
): Pick<ObjectClient<T>, 'get' | 'list'> {
  return {
    async get(name, readOptions = {}) {
      if (resource.namespaced && !readOptions.namespace) {
        throw new CachedClientError(
          `client.resource(${resource.kind}).get("${name}"): ${resource.kind} is namespaced; pass { namespace }`,
        );
      }
      const informer = await informerOf(readOptions.signal);
      return resource.namespaced
        ? informer.lister.get(readOptions.namespace ?? '', name)
        : informer.lister.get(name);
    },
    async list(listOptions = {}) {
      const informer = await informerOf(listOptions.signal);
      const { namespace, labelSelector } = listOptions;
      return resource.namespaced && namespace
        ? informer.lister.namespace(namespace).list(labelSelector)
        : informer.lister.list(labelSelector);
    },
  };
}

function createObjectClient(
  resource: ResourceDescriptor,
  options: CachedClientOptions,
): ObjectClient<KubeObject> {
  const api = options.apiClient(resource);
  const scope = scopeFor(resource, options.scope);
  return {
    resource,
    api,
    ...cachedReads(resource, (signal) =>
      synced(options.informers.informerFor<KubeObject>(resource, scope), resource, signal),
    ),
    create: (object, o) => api.create(object, o),
    update: (object, o) => api.update(object, o),
    updateStatus: (object, o) => api.updateStatus(object, o),
    patch: (name, p, o) => api.patch(name, p, o),
    apply: (configuration, o) => api.apply(configuration, o),
    delete: (name, o) => api.delete(name, o),
    modify: (name, m, o) => api.modify(name, m, o),
  };
}
