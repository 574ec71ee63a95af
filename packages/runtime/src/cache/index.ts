/**
 * cache: stores and indexers fed by the watcher, informers that notify handlers of changes,
 * listers over the cache, a shared informer factory (one watch per resource and scope), and
 * label selectors used both server-side and against the cache.
 *
 * Objects handed out by the cache are shared between all readers and must be treated as
 * read-only; copy before modifying.
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
