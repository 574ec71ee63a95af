/**
 * One informer per (resource, namespace, label selector, field selector, form), shared by
 * everyone who asks: controllers watching the same kind add handlers to the same informer and
 * read the same cache, so the API server sees one watch. Label selectors are compared in
 * canonical form (`b=2,a=1` and `a=1, b=2` share an informer). The form is full objects
 * (`informerFor`, `acquire`) or metadata only (`metadataInformerFor`, `acquireMetadata`): the
 * two are distinct informers with distinct watches, as controller-runtime keeps them, and a
 * metadata-only informer's objects are always `PartialObjectMetadata` whatever its
 * ListerWatcher returns.
 *
 * Informers are reference-counted: `acquire` hands out a lease, and releasing the last lease
 * of an informer stops its watch and forgets it, so its cache can be garbage-collected (a
 * later `acquire` of the same scope starts a fresh one). `informerFor` pins the informer for
 * the factory's lifetime instead: leases never remove a pinned informer.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import {
  apiVersionOf,
  type KubeObject,
  type ListerWatcher,
  type PartialObjectMetadata,
  type ResourceDescriptor,
} from '../api/index.ts';
import { createMetadataClient, createResourceClient, toPartialObjectMetadata } from '../client/index.ts';
import type { Logger } from '../log/logger.ts';
import { createInformer, waitForCacheSync } from './informer.ts';
import { toSelector } from './label-selector-parser.ts';
import type {
  Informer,
  InformerLease,
  InformerOptions,
  InformerScope,
  SharedInformerEntry,
  SharedInformerFactory,
  Transform,
} from './types.ts';

export type SharedInformerFactoryOptions = (
  | {
      /** Informers list and watch through `createResourceClient(kubeConfig, resource)`. */
      readonly kubeConfig: KubeConfig;
      readonly listerWatcherFor?: undefined;
    }
  | {
      /**
       * Gives the ListerWatcher of a resource, scoped to `namespace` when one is given, and
       * reading metadata only when `form.metadataOnly` (full objects it returns are cut down).
       */
      readonly listerWatcherFor: (
        resource: ResourceDescriptor,
        namespace: string | undefined,
        form: { readonly metadataOnly: boolean },
      ) => ListerWatcher<KubeObject>;
      readonly kubeConfig?: undefined;
    }
) & {
  /** Applied to every object of every informer (e.g. `dropManagedFields`). */
  readonly transform?: Transform<KubeObject>;
  /** Keep `metadata.managedFields` in cached objects (see {@link InformerOptions}); default false. */
  readonly keepManagedFields?: boolean;
  /** Default resync period of handlers. */
  readonly resyncPeriodMs?: number;
  readonly freeze?: boolean;
  readonly logger?: Logger;
  readonly watcher?: InformerOptions<KubeObject>['watcher'];
};

interface Entry {
  readonly resource: ResourceDescriptor;
  readonly scope: InformerScope;
  readonly metadataOnly: boolean;
  readonly informer: Informer<KubeObject>;
  /** Leases not yet released. */
  references: number;
  /** Handed out by `informerFor`: kept until the factory stops, whatever the leases. */
  pinned: boolean;
}

function describe(
  resource: ResourceDescriptor,
  namespace: string | undefined,
  labels: string,
  fields: string,
  metadataOnly: boolean,
): string {
  const parts = [`${resource.plural}.${apiVersionOf(resource)}`];
  if (namespace !== undefined) parts.push(`namespace=${namespace}`);
  if (labels !== '') parts.push(`labels=${labels}`);
  if (fields !== '') parts.push(`fields=${fields}`);
  if (metadataOnly) parts.push('metadata-only');
  return parts.join(' ');
}

class Factory implements SharedInformerFactory {
  readonly #options: SharedInformerFactoryOptions;
  readonly #entries = new Map<string, Entry>();
  #started = false;
  #stopped = false;

  constructor(options: SharedInformerFactoryOptions) {
    this.#options = options;
  }

  informerFor<T extends KubeObject>(resource: ResourceDescriptor<T>, scope: InformerScope = {}): Informer<T> {
    const entry = this.#entry(resource, scope, 'informerFor', false);
    entry.pinned = true;
    // The factory keys informers by resource, not by type; the caller names the type it reads.
    return entry.informer as unknown as Informer<T>;
  }

  metadataInformerFor(
    resource: ResourceDescriptor,
    scope: InformerScope = {},
  ): Informer<PartialObjectMetadata> {
    const entry = this.#entry(resource, scope, 'metadataInformerFor', true);
    entry.pinned = true;
    return entry.informer as Informer<PartialObjectMetadata>;
  }

  acquire<T extends KubeObject>(
    resource: ResourceDescriptor<T>,
    scope: InformerScope = {},
  ): InformerLease<T> {
    return this.#lease(this.#entry(resource, scope, 'acquire', false));
  }

  acquireMetadata(
    resource: ResourceDescriptor,
    scope: InformerScope = {},
  ): InformerLease<PartialObjectMetadata> {
    return this.#lease(this.#entry(resource, scope, 'acquireMetadata', true));
  }

  #lease<T extends KubeObject>(entry: Entry): InformerLease<T> {
    entry.references++;
    let released: Promise<void> | undefined;
    return {
      informer: entry.informer as unknown as Informer<T>,
      release: () => (released ??= this.#release(entry)),
    };
  }

  #release(entry: Entry): Promise<void> {
    entry.references--;
    if (entry.references > 0 || entry.pinned || this.#stopped) return Promise.resolve();
    for (const [key, value] of this.#entries) {
      if (value === entry) this.#entries.delete(key);
    }
    return entry.informer.stop();
  }

  #entry(resource: ResourceDescriptor, scope: InformerScope, caller: string, metadataOnly: boolean): Entry {
    if (this.#stopped)
      throw new Error(`SharedInformerFactory: ${caller}() after stop(); create a new factory`);
    const namespace = scope.namespace === '' ? undefined : scope.namespace;
    if (namespace !== undefined && !resource.namespaced) {
      throw new Error(
        `${resource.plural}.${apiVersionOf(resource)} is cluster-scoped: ${caller}() cannot scope it to namespace ${JSON.stringify(namespace)}`,
      );
    }
    const labels = toSelector(scope.labelSelector).toString();
    const fields = scope.fieldSelector ?? '';
    const key = JSON.stringify([
      resource.group,
      resource.version,
      resource.plural,
      namespace ?? '',
      labels,
      fields,
      metadataOnly ? 'metadata' : 'full',
    ]);
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      const o = this.#options;
      const name = describe(resource, namespace, labels, fields, metadataOnly);
      const lw = this.#listerWatcher(resource, namespace, metadataOnly);
      const transform = metadataOnly ? metadataTransform(resource, o.transform) : o.transform;
      const informer = createInformer<KubeObject>(lw, {
        ...(labels === '' ? {} : { labelSelector: labels }),
        ...(fields === '' ? {} : { fieldSelector: fields }),
        ...(transform === undefined ? {} : { transform }),
        ...(o.keepManagedFields === undefined ? {} : { keepManagedFields: o.keepManagedFields }),
        ...(o.resyncPeriodMs === undefined ? {} : { resyncPeriodMs: o.resyncPeriodMs }),
        ...(o.freeze === undefined ? {} : { freeze: o.freeze }),
        ...(o.logger === undefined ? {} : { logger: o.logger }),
        watcher: { ...o.watcher, name },
      });
      const normalized: InformerScope = {
        ...(namespace === undefined ? {} : { namespace }),
        ...(labels === '' ? {} : { labelSelector: labels }),
        ...(fields === '' ? {} : { fieldSelector: fields }),
      };
      entry = { resource, scope: normalized, metadataOnly, informer, references: 0, pinned: false };
      this.#entries.set(key, entry);
      if (this.#started) informer.start();
    }
    return entry;
  }

  #listerWatcher(
    resource: ResourceDescriptor,
    namespace: string | undefined,
    metadataOnly: boolean,
  ): ListerWatcher<KubeObject> {
    const o = this.#options;
    if (o.listerWatcherFor !== undefined) return o.listerWatcherFor(resource, namespace, { metadataOnly });
    const client = metadataOnly
      ? createMetadataClient(o.kubeConfig, resource)
      : createResourceClient(o.kubeConfig, resource);
    return namespace === undefined ? client : client.inNamespace(namespace);
  }

  start(): void {
    if (this.#stopped) throw new Error('SharedInformerFactory: start() after stop(); create a new factory');
    this.#started = true;
    for (const { informer } of this.#entries.values()) informer.start();
  }

  waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const started = [...this.#entries.values()].map((e) => e.informer).filter((i) => i.started);
    return waitForCacheSync(signal, ...started);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all([...this.#entries.values()].map((e) => e.informer.stop()));
  }

  informers(): readonly SharedInformerEntry[] {
    return [...this.#entries.values()].map(
      ({ resource, scope, metadataOnly, informer, references, pinned }) => ({
        resource,
        scope,
        metadataOnly,
        informer,
        references,
        pinned,
      }),
    );
  }
}

/**
 * Creates a factory of shared informers. Typical use: `acquire(resource, scope)` from every
 * controller (or `informerFor` for informers that live as long as the factory), then `start()`
 * and `await waitForCacheSync(signal)` before reconciling; release the leases when done.
 */
export function createSharedInformerFactory(options: SharedInformerFactoryOptions): SharedInformerFactory {
  return new Factory(options);
}

/**
 * What a metadata-only informer caches: the object cut down to PartialObjectMetadata with the
 * resource's apiVersion and kind (a no-op on what a metadata client returns), then the
 * factory's transform.
 */
function metadataTransform(
  resource: ResourceDescriptor,
  transform: Transform<KubeObject> | undefined,
): Transform<KubeObject> {
  const typeMeta = { apiVersion: apiVersionOf(resource), kind: resource.kind };
  return (object) => {
    const partial =
      object.apiVersion === typeMeta.apiVersion &&
      object.kind === typeMeta.kind &&
      Object.keys(object).length === 3
        ? object
        : toPartialObjectMetadata(object, typeMeta);
    return transform === undefined ? partial : transform(partial);
  };
}
