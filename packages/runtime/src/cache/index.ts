/**
 * cache: stores and indexers fed by the watcher, informers that notify handlers of changes,
 * listers over the cache, a shared informer factory (one watch per resource and scope,
 * reference-counted leases whose last release stops the watch), scopes (a set of namespaces,
 * label and field selectors) with one reader over the informers of a scope, and label
 * selectors used both server-side and against the cache.
 *
 * ```ts
 * const factory = createSharedInformerFactory({ kubeConfig, transform: dropManagedFields });
 * const pods = factory.informerFor<Pod>(podResource, { namespace: 'web', labelSelector: 'app=shop' });
 * pods.addIndexers({ byNode: indexByField((p: Pod) => p.spec?.nodeName) });
 * pods.addEventHandler({ add: (p) => queue.add(objectKey(p)), update: (_o, p) => queue.add(objectKey(p)) });
 * factory.start();
 * if (!(await factory.waitForCacheSync(signal))) return;
 * pods.lister.namespace('web').list('tier in (frontend)');
 * ```
 *
 * Objects handed out by the cache are shared between all readers and must be treated as
 * read-only; copy before modifying. Delete notifications can carry `finalStateUnknown` when
 * the watch missed the deletion and a relist inferred it; use finalizers when the final state
 * of an object matters.
 */
export type {
  IndexFunc,
  Indexers,
  Store,
  Indexer,
  AddInfo,
  DeleteInfo,
  EventHandler,
  HandlerOptions,
  HandlerRegistration,
  Transform,
  InformerOptions,
  Lister,
  NamespaceLister,
  InformerHealth,
  Informer,
  InformerScope,
  InformerLease,
  SharedInformerEntry,
  SharedInformerFactory,
} from './types.ts';
export { NAMESPACE_INDEX } from './types.ts';
export {
  LabelSelectorError,
  createRequirement,
  createSelector,
  everything,
  nothing,
  selectorFromSet,
  selectorFromLabelSelector,
  selectorToLabelSelector,
  requirementMatches,
  type SelectorOperator,
  type Requirement,
  type Selector,
  type Labels,
  type LabelSelectorErrorReason,
} from './label-selector.ts';
export { parseSelector, toSelector } from './label-selector-parser.ts';
export { CacheStore, indexByNamespace, type StoreChange, type IndexErrorCallback } from './store.ts';
export { indexByLabel, indexByOwnerUid, indexByField } from './indexers.ts';
export { createInformer, waitForCacheSync, type ScopableListerWatcher } from './informer.ts';
export { createLister } from './lister.ts';
export { dropManagedFields, deepFreeze } from './prepare.ts';
export { createSharedInformerFactory, type SharedInformerFactoryOptions } from './shared-informer-factory.ts';
export {
  ScopeError,
  normalizeScope,
  withDefaults,
  informerScopes,
  coversNamespace,
  describeScope,
  type ResourceScope,
  type NormalizedScope,
} from './resource-scope.ts';
export { acquireScopedCache, type ScopedCache } from './scoped-cache.ts';
