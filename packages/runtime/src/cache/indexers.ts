/**
 * Ready-made index functions for {@link Indexer.addIndexers}: by label value, by owner UID
 * (find the dependents of an object), and by any field.
 */
import type { KubeObject } from '../api/index.ts';
import type { IndexFunc } from './types.ts';

/** Indexes objects by the value of label `key`; objects without it are not indexed. */
export function indexByLabel<T extends KubeObject>(key: string): IndexFunc<T> {
  return (obj) => {
    const value = obj.metadata.labels?.[key];
    return value === undefined ? [] : [value];
  };
}

/**
 * Indexes objects by the UIDs of their owners (`metadata.ownerReferences[].uid`); with
 * `controllerOnly`, by the managing controller's UID only.
 */
export function indexByOwnerUid<T extends KubeObject>(
  options: { readonly controllerOnly?: boolean } = {},
): IndexFunc<T> {
  return (obj) =>
    (obj.metadata.ownerReferences ?? [])
      .filter((ref) => options.controllerOnly !== true || ref.controller === true)
      .map((ref) => ref.uid);
}

/**
 * Indexes objects by a field computed by `get`: a string, a list of strings, or `undefined`
 * (not indexed). Example: `indexByField((pod: Pod) => pod.spec?.nodeName)`.
 */
export function indexByField<T extends KubeObject>(
  get: (obj: T) => string | readonly string[] | undefined,
): IndexFunc<T> {
  return (obj) => {
    const value = get(obj);
    if (value === undefined) return [];
    return typeof value === 'string' ? [value] : value;
  };
}
