/**
 * The finalizer flow (kube-rs's `finalizer()`): a controller that must clean up outside the
 * object (external resources, children in other namespaces) puts a finalizer on it before
 * doing anything, so the API server cannot delete it without the controller's say.
 *
 * - Not being deleted: the finalizer is added if missing, then `apply` runs.
 * - Being deleted (deletionTimestamp set) with the finalizer: `cleanup` runs, then the
 *   finalizer is removed and the API server deletes the object. If `cleanup` throws, the
 *   finalizer stays and the reconcile is retried.
 * - Being deleted without the finalizer: nothing to do.
 *
 * Cleanup runs once per deletion: before running it the object is re-read from the API server
 * (not the cache), so a stale cache entry or a replayed event after a restart cannot run it
 * again once the finalizer is gone. The only window for a repeat is a crash between cleanup
 * finishing and the finalizer removal being stored: write cleanups to be idempotent.
 */
import type { KubeObject } from '../api/index.ts';
import { isNotFound } from '../client/errors.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import type { ObjectClient } from '../controller/client.ts';
import type { Result } from '../controller/reconciler.ts';

export interface FinalizeHandlers<T extends KubeObject> {
  /** The normal reconcile, run once the finalizer is in place. */
  apply(object: T): Promise<Result>;
  /** Undo what `apply` did outside the object. Throw to keep the finalizer and retry later. */
  cleanup(object: T): Promise<void>;
}

export interface FinalizeOptions<T extends KubeObject> extends FinalizeHandlers<T> {
  /** A qualified name, e.g. `samples.kubeforge.dev/cleanup`. */
  readonly finalizer: string;
  readonly signal?: AbortSignal;
}

export class FinalizerError extends Error {
  readonly reason: 'InvalidFinalizerName' | 'MissingName';
  constructor(reason: FinalizerError['reason'], message: string) {
    super(message);
    this.name = 'FinalizerError';
    this.reason = reason;
  }
}

const qualifiedName =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;

/**
 * Runs `apply` or `cleanup` for `object` (usually read from the cache) following the flow in
 * the module comment, and returns the result to give back to the controller.
 */
export async function finalize<T extends KubeObject>(
  client: ResourceClient<T> | ObjectClient<T>,
  object: T,
  options: FinalizeOptions<T>,
): Promise<Result> {
  const { finalizer } = options;
  if (!qualifiedName.test(finalizer)) {
    throw new FinalizerError(
      'InvalidFinalizerName',
      `finalizer "${finalizer}" must be a domain-qualified name such as "example.com/cleanup"`,
    );
  }
  const api = 'api' in client ? client.api : client;
  const { name, namespace } = object.metadata;
  if (name === undefined || name === '') {
    throw new FinalizerError('MissingName', 'finalize(): the object has no metadata.name');
  }
  const target = {
    ...(namespace !== undefined && { namespace }),
    ...(options.signal !== undefined && { signal: options.signal }),
  };

  if (object.metadata.deletionTimestamp === undefined) {
    if (hasFinalizer(object, finalizer)) return options.apply(object);
    const updated = await api.modify(
      name,
      (current) => {
        if (current.metadata.deletionTimestamp !== undefined || hasFinalizer(current, finalizer))
          return false;
        current.metadata.finalizers = [...(current.metadata.finalizers ?? []), finalizer];
        return current;
      },
      target,
    );
    // Deleted in the meantime: the deletion's own event brings us back for cleanup.
    if (!hasFinalizer(updated, finalizer)) return {};
    return options.apply(updated);
  }

  if (!hasFinalizer(object, finalizer)) return {};
  // Confirm with the API server: the cache may still show a finalizer we already removed.
  let fresh: T;
  try {
    fresh = await api.get(name, target);
  } catch (err) {
    if (isNotFound(err)) return {};
    throw err;
  }
  if (fresh.metadata.deletionTimestamp === undefined || !hasFinalizer(fresh, finalizer)) return {};
  await options.cleanup(fresh);
  try {
    await api.modify(
      name,
      (current) => {
        if (!hasFinalizer(current, finalizer)) return false;
        current.metadata.finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        return current;
      },
      target,
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return {};
}

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata.finalizers?.includes(finalizer) ?? false;
}
