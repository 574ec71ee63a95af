/**
 * What happens to an object between the watcher and the store: the user's transform (e.g.
 * {@link dropManagedFields}), restoration of the identity fields the cache relies on, and in
 * development a deep freeze so accidental mutation of shared cached objects throws.
 */
import type { KubeObject } from '../api/index.ts';
import type { Transform } from './types.ts';

/** A transform that drops `metadata.managedFields` (often half of an object's size). */
export function dropManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** Freezes `value` and everything reachable from it; returns it. */
export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const child of Object.values(v)) stack.push(child);
  }
  return value;
}

/** Whether cached objects are frozen by default: in development (`NODE_ENV=development`). */
export function freezeByDefault(): boolean {
  return process.env.NODE_ENV === 'development';
}

const IDENTITY = ['name', 'namespace', 'uid', 'resourceVersion'] as const;

/**
 * Applies `transform` and puts back any identity field it dropped (name, namespace, uid,
 * resourceVersion: the store's key, the UID-change check and the watch resume point depend on
 * them). Throws what `transform` throws.
 */
export function applyTransform<T extends KubeObject>(obj: T, transform: Transform<T>): T {
  const result = transform(obj);
  const meta = result.metadata as KubeObject['metadata'] | undefined;
  const missing = IDENTITY.filter((f) => obj.metadata[f] !== undefined && meta?.[f] !== obj.metadata[f]);
  if (missing.length === 0) return result;
  const metadata = { ...(meta ?? {}) };
  for (const f of missing) {
    const value = obj.metadata[f];
    if (value !== undefined) metadata[f] = value;
  }
  return { ...result, metadata };
}
