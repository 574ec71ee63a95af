/** Where a kind lives in the API: group, version, kind, plural and scope. */
import type { KubeObject } from './object-meta.ts';

export interface ResourceDescriptor {
  /** API group; `''` for the core group (pods, configmaps, ...). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The lowercase plural used in URLs, e.g. `backupschedules`. */
  readonly plural: string;
  /** `true` for namespaced resources, `false` for cluster-scoped ones. */
  readonly namespaced: boolean;
}

/** `group/version`, or just `version` for the core group. */
export function apiVersionOf(resource: Pick<ResourceDescriptor, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** The cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  const { namespace, name = '' } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a key produced by {@link objectKey}. */
export function splitObjectKey(key: string): { readonly namespace?: string; readonly name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
