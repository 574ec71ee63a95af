/**
 * The fluent way to declare a controller:
 *
 * ```ts
 * const foo = controllerFor(fooResource) // a ResourceDescriptor<Foo>: the builder is typed with Foo
 *   .owns(deployments) // from @kubeforge/api/apps/v1; predicates see Deployments
 *   .owns(secrets, { metadataOnly: true }) // cached as PartialObjectMetadata
 *   .withPredicates(or(generationChanged, labelsChanged))
 *   .maxConcurrentReconciles(4)
 *   .complete(reconcileFoo);
 * manager.add(foo);
 * ```
 *
 * Builders are immutable (each call returns a new one) and `complete` returns plain data, a
 * {@link ControllerBlueprint}, which a manager (or {@link createController}) turns into a
 * running controller.
 */
import type { KubeObject, PartialObjectMetadata, ResourceDescriptor } from '../api/index.ts';
import type { ResourceScope } from '../cache/resource-scope.ts';
import type { RateLimiter } from '../workqueue/rate-limiters.ts';
import type { WatchSource } from './types.ts';
import { ControllerError } from './types.ts';
import type { MapFunc, OwnerMappingOptions } from './handlers.ts';
import { enqueueMapped, enqueueObject, enqueueOwner } from './handlers.ts';
import type { Predicate } from './predicates.ts';
import type { Reconciler } from './reconciler.ts';

/** A controller described as data: what it watches and how it reconciles. */
export interface ControllerBlueprint {
  readonly name: string;
  readonly primary: WatchSource;
  readonly sources: readonly WatchSource[];
  readonly reconciler: Reconciler;
  readonly maxConcurrentReconciles?: number;
  readonly reconcileTimeoutMs?: number;
  readonly resyncPeriodMs?: number;
  readonly rateLimiter?: RateLimiter<string>;
}

export interface SourceOptions<T extends KubeObject> {
  /** Only events passing every predicate are enqueued (in addition to `withPredicates`). */
  readonly predicates?: readonly Predicate<T>[];
  /**
   * Narrow the watch: `namespaces` (one informer each), `labelSelector`, `fieldSelector`. Each
   * field left out comes from the manager's cache scope for the kind. The controller's client
   * reads the kind through this scope too; reads outside it throw.
   */
  readonly scope?: ResourceScope;
}

export interface OwnsOptions<T extends KubeObject> extends SourceOptions<T>, OwnerMappingOptions {}

/**
 * Watch the kind by metadata only (controller-runtime's `OnlyMetadata`): the cache holds
 * `PartialObjectMetadata` (apiVersion, kind, metadata) instead of whole objects, and
 * predicates and mapping functions see that. For kinds whose data a controller never reads
 * (Secrets, ConfigMaps, Pods it only counts or owns), it saves most of the memory and traffic.
 */
export interface MetadataOnly {
  readonly metadataOnly: true;
}

interface BuilderState {
  readonly primaryResource: ResourceDescriptor;
  readonly primaryOptions: SourceOptions<KubeObject>;
  readonly name?: string;
  readonly owned: readonly WatchSource[];
  readonly watched: readonly WatchSource[];
  readonly predicates: readonly Predicate[];
  readonly maxConcurrentReconciles?: number;
  readonly reconcileTimeoutMs?: number;
  readonly resyncPeriodMs?: number;
  readonly rateLimiter?: RateLimiter<string>;
}

export class ControllerBuilder<T extends KubeObject> {
  readonly #state: BuilderState;

  constructor(state: BuilderState) {
    this.#state = state;
  }

  /** Names the controller (metrics, logs, queue); default: the primary kind in lowercase. */
  named(name: string): ControllerBuilder<T> {
    return this.#with({ name });
  }

  /**
   * Watches a child kind this controller creates: a change to a child enqueues the primary
   * object named by its controller ownerReference (see `setControllerReference`).
   */
  owns(
    child: ResourceDescriptor,
    options: OwnsOptions<PartialObjectMetadata> & MetadataOnly,
  ): ControllerBuilder<T>;
  owns<C extends KubeObject>(child: ResourceDescriptor<C>, options?: OwnsOptions<C>): ControllerBuilder<T>;
  owns<C extends KubeObject>(
    child: ResourceDescriptor<C>,
    options: OwnsOptions<C> | (OwnsOptions<PartialObjectMetadata> & MetadataOnly) = {},
  ): ControllerBuilder<T> {
    const source: WatchSource = {
      resource: child,
      role: 'owns',
      predicates: (options.predicates ?? []) as readonly Predicate[],
      map: enqueueOwner(this.#state.primaryResource, options),
      ...(options.scope !== undefined && { scope: options.scope }),
      ...('metadataOnly' in options && { metadataOnly: true }),
    };
    return this.#with({ owned: [...this.#state.owned, source] });
  }

  /**
   * Watches any kind; `map` names the primary objects a change to one of its objects concerns.
   * With `{ metadataOnly: true }` it is given `PartialObjectMetadata` (see {@link MetadataOnly}).
   */
  watches(
    resource: ResourceDescriptor,
    map: MapFunc<PartialObjectMetadata>,
    options: SourceOptions<PartialObjectMetadata> & MetadataOnly,
  ): ControllerBuilder<T>;
  watches<W extends KubeObject>(
    resource: ResourceDescriptor<W>,
    map: MapFunc<W>,
    options?: SourceOptions<W>,
  ): ControllerBuilder<T>;
  watches<W extends KubeObject>(
    resource: ResourceDescriptor<W>,
    map: MapFunc<W> | MapFunc<PartialObjectMetadata>,
    options: SourceOptions<W> | (SourceOptions<PartialObjectMetadata> & MetadataOnly) = {},
  ): ControllerBuilder<T> {
    const source: WatchSource = {
      resource,
      role: 'watches',
      predicates: (options.predicates ?? []) as readonly Predicate[],
      map: enqueueMapped(map as MapFunc),
      ...(options.scope !== undefined && { scope: options.scope }),
      ...('metadataOnly' in options && { metadataOnly: true }),
    };
    return this.#with({ watched: [...this.#state.watched, source] });
  }

  /** Predicates applied to the events of every watched kind (controller-runtime's WithEventFilter). */
  withPredicates(...predicates: readonly Predicate[]): ControllerBuilder<T> {
    return this.#with({ predicates: [...this.#state.predicates, ...predicates] });
  }

  maxConcurrentReconciles(workers: number): ControllerBuilder<T> {
    return this.#with({ maxConcurrentReconciles: workers });
  }

  /** Aborts and requeues a reconcile still running after `ms`. */
  reconcileTimeout(ms: number): ControllerBuilder<T> {
    return this.#with({ reconcileTimeoutMs: ms });
  }

  /** Enqueues every primary object this often (jittered); `0` disables. Default 10 h. */
  resyncPeriod(ms: number): ControllerBuilder<T> {
    return this.#with({ resyncPeriodMs: ms });
  }

  rateLimiter(limiter: RateLimiter<string>): ControllerBuilder<T> {
    return this.#with({ rateLimiter: limiter });
  }

  /** Finishes the declaration. */
  complete(reconciler: Reconciler): ControllerBlueprint {
    if (typeof reconciler !== 'function') {
      throw new ControllerError(
        'InvalidOptions',
        `controllerFor(${this.#state.primaryResource.kind}).complete(): expected a reconcile function (request, context) => Promise<Result>`,
      );
    }
    const s = this.#state;
    const withGlobal = (source: WatchSource): WatchSource => ({
      ...source,
      predicates: [...s.predicates, ...source.predicates],
    });
    const primary: WatchSource = withGlobal({
      resource: s.primaryResource,
      role: 'for',
      predicates: s.primaryOptions.predicates ?? [],
      map: enqueueObject,
      ...(s.primaryOptions.scope !== undefined && { scope: s.primaryOptions.scope }),
    });
    return {
      name: s.name ?? s.primaryResource.kind.toLowerCase(),
      primary,
      sources: [...s.owned, ...s.watched].map(withGlobal),
      reconciler,
      ...(s.maxConcurrentReconciles !== undefined && { maxConcurrentReconciles: s.maxConcurrentReconciles }),
      ...(s.reconcileTimeoutMs !== undefined && { reconcileTimeoutMs: s.reconcileTimeoutMs }),
      ...(s.resyncPeriodMs !== undefined && { resyncPeriodMs: s.resyncPeriodMs }),
      ...(s.rateLimiter !== undefined && { rateLimiter: s.rateLimiter }),
    };
  }

  #with(change: Partial<BuilderState>): ControllerBuilder<T> {
    return new ControllerBuilder<T>({ ...this.#state, ...change });
  }
}

/** Starts declaring a controller whose primary kind is `resource` (controller-runtime's `For`). */
export function controllerFor<T extends KubeObject>(
  resource: ResourceDescriptor<T>,
  options: SourceOptions<T> = {},
): ControllerBuilder<T> {
  return new ControllerBuilder<T>({
    primaryResource: resource,
    primaryOptions: options as SourceOptions<KubeObject>,
    owned: [],
    watched: [],
    predicates: [],
  });
}
