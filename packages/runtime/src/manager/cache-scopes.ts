/**
 * The manager's cache scopes: the defaults of `ManagerOptions.cache` (namespaces, label and
 * field selectors) and the per-kind scopes of `cache.byResource`, validated once when the
 * manager is created, and resolved per kind and per watch source.
 *
 * Resolution: a source's own scope fields win, then its kind's `byResource` entry, then the
 * defaults (namespaces apply to namespaced kinds only).
 */
import { apiVersionOf, type ResourceDescriptor } from '../api/index.ts';
import {
  normalizeScope,
  ScopeError,
  withDefaults,
  type NormalizedScope,
  type ResourceScope,
} from '../cache/resource-scope.ts';
import type { WatchSource } from '../controller/types.ts';
import { ManagerError, type ManagerOptions, type ResourceCacheScope } from './types.ts';

export interface CacheScopes {
  /** The scope reads and watches of `resource` get unless a source narrows it. */
  ofKind(resource: ResourceDescriptor): ResourceScope;
  /** The scope a watch source runs in. */
  ofSource(source: WatchSource): ResourceScope;
  /** `ofKind`, normalized. */
  normalizedOfKind(resource: ResourceDescriptor): NormalizedScope;
  /** How to widen the cache of `resource`, for OutsideScope errors. */
  widenHint(resource: ResourceDescriptor): string;
}

const kindKey = (resource: ResourceDescriptor): string => `${resource.plural}.${apiVersionOf(resource)}`;

const namespacedProbe: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'NamespacedKind',
  plural: 'namespaced kinds',
  namespaced: true,
};

/** Validates `cache` (throws ManagerError InvalidOptions naming the field) and resolves scopes. */
export function createCacheScopes(cache: ManagerOptions['cache']): CacheScopes {
  const defaults: ResourceScope = {
    ...(cache?.namespaces !== undefined && { namespaces: cache.namespaces }),
    ...(cache?.namespace !== undefined && { namespace: cache.namespace }),
    ...(cache?.labelSelector !== undefined && { labelSelector: cache.labelSelector }),
    ...(cache?.fieldSelector !== undefined && { fieldSelector: cache.fieldSelector }),
  };
  const byKind = new Map<string, ResourceCacheScope>();
  invalidAsManagerError(() => {
    normalizeScope(namespacedProbe, defaults, 'createManager: cache');
    (cache?.byResource ?? []).forEach((entry, i) => {
      const where = `createManager: cache.byResource[${i}]`;
      // Options often come from untyped configuration.
      if (typeof (entry.resource as ResourceDescriptor | undefined)?.plural !== 'string') {
        throw new ScopeError(
          `${where}: resource is missing; give the kind's descriptor, e.g. { resource: configMaps, labelSelector: 'app=web' }`,
        );
      }
      const key = kindKey(entry.resource);
      if (byKind.has(key)) {
        throw new ScopeError(
          `${where}: ${key} already has a scope in cache.byResource; merge the two entries`,
        );
      }
      normalizeScope(entry.resource, scopeOf(entry), where);
      byKind.set(key, entry);
    });
  });
  const ofKind = (resource: ResourceDescriptor): ResourceScope => {
    const entry = byKind.get(kindKey(resource));
    if (entry === undefined) return withDefaults(resource, undefined, defaults);
    return withDefaults(resource, scopeOf(entry), defaults);
  };
  return {
    ofKind,
    ofSource: (source) => withDefaults(source.resource, source.scope, ofKind(source.resource)),
    normalizedOfKind: (resource) => normalizeScope(resource, ofKind(resource), 'createManager: cache'),
    widenHint: (resource) =>
      byKind.has(kindKey(resource))
        ? `widen it in ManagerOptions.cache.byResource (the entry for ${kindKey(resource)})`
        : resource.namespaced
          ? "add the namespace to ManagerOptions.cache.namespaces (or to the scope of the controller's .for/.owns/.watches of this kind)"
          : "widen ManagerOptions.cache (or the scope of the controller's .for/.owns/.watches of this kind)",
  };
}

function invalidAsManagerError(validate: () => void): void {
  try {
    validate();
  } catch (error) {
    if (error instanceof ScopeError)
      throw new ManagerError('InvalidOptions', error.message, { cause: error });
    throw error;
  }
}

function scopeOf(entry: ResourceCacheScope): ResourceScope {
  return {
    ...(entry.namespaces !== undefined && { namespaces: entry.namespaces }),
    ...(entry.namespace !== undefined && { namespace: entry.namespace }),
    ...(entry.labelSelector !== undefined && { labelSelector: entry.labelSelector }),
    ...(entry.fieldSelector !== undefined && { fieldSelector: entry.fieldSelector }),
  };
}
