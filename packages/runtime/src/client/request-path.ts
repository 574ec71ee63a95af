/**
 * REST paths and query strings for one resource. Paths are built by string concatenation from
 * prefixes computed once per client; names and namespaces are percent-encoded.
 */
import type { ResourceDescriptor } from '../api/index.ts';

export interface ResourcePaths {
  /** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>`; all namespaces when `namespace` is undefined. */
  collection(namespace: string | undefined): string;
  /** The collection path plus `/<name>[/<subresource>]`. */
  object(namespace: string | undefined, name: string, subresource?: string): string;
}

/** The group-version root: `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(resource: Pick<ResourceDescriptor, 'group' | 'version'>): string {
  return resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
}

export function createResourcePaths(resource: ResourceDescriptor): ResourcePaths {
  const root = groupVersionPath(resource);
  const clusterCollection = `${root}/${resource.plural}`;
  const namespacesPrefix = `${root}/namespaces/`;
  const pluralSuffix = `/${resource.plural}`;
  const collection = (namespace: string | undefined): string =>
    namespace === undefined
      ? clusterCollection
      : namespacesPrefix + encodeURIComponent(namespace) + pluralSuffix;
  return {
    collection,
    object(namespace, name, subresource) {
      const path = `${collection(namespace)}/${encodeURIComponent(name)}`;
      return subresource === undefined ? path : `${path}/${subresource}`;
    },
  };
}

/**
 * Appends `key=value` to a path or query under construction; skips undefined values and
 * `false` booleans (the API's default for every boolean parameter).
 */
export function withParam(path: string, key: string, value: string | number | boolean | undefined): string {
  if (value === undefined || value === false) return path;
  const separator = path.includes('?') ? '&' : '?';
  return `${path}${separator}${key}=${typeof value === 'string' ? encodeURIComponent(value) : String(value)}`;
}
