/**
 * The Gizmo controller: makes the world match each Gizmo's spec and records
 * what it observed in the status. Scaffolded once by kubeforge; this file is yours to edit.
 * The generated module it imports is its contract: when the Gizmo interface changes
 * and `kubeforge generate` runs, the compiler points at what here needs to follow.
 *
 * `kubeforge generate` turns the @rbac tags below into rules of config/rbac/role.yaml; add
 * one for every other kind this controller reads or writes.
 *
 * @rbac groups=edge.example.com resources=gizmos verbs=get;list;watch;update;patch
 * @rbac groups=edge.example.com resources=gizmos/finalizers verbs=update
 */
import {
  controllerFor,
  finalize,
  type Manager,
  type ReconcileContext,
  type Request,
  type Result,
} from '@kubeforge/runtime';
import {
  gizmoObjects,
  gizmoResource,
  type Gizmo,
} from '../generated/edge.example.com/v1/gizmo.ts';

/** Kept on every Gizmo until its cleanup ran, so deleting one waits for the cleanup. */
export const gizmoFinalizer = 'edge.example.com/finalizer';

/** Adds the Gizmo controller to the manager; called from src/main.ts. */
export function registerGizmoController(manager: Manager): void {
  manager.add(controllerFor<Gizmo>(gizmoResource).complete(reconcileGizmo));
}

/**
 * Reconciles one Gizmo. Level-based: `request` names the object, not what
 * happened to it, so read the current state and converge. Throw to retry with backoff;
 * throw a `TerminalError` when retrying cannot help.
 */
export async function reconcileGizmo(request: Request, context: ReconcileContext): Promise<Result> {
  const gizmos = gizmoObjects(context.client);
  const gizmo = await gizmos.get(request.name, { signal: context.signal });
  if (gizmo === undefined) return {}; // deleted, and its cleanup already ran
  return finalize(gizmos, gizmo, {
    finalizer: gizmoFinalizer,
    signal: context.signal,
    apply: (current) => applyGizmo(current, request, context),
    cleanup: (current) => cleanupGizmo(current, context),
  });
}

/**
 * Makes the world match the Gizmo's spec, then records what was observed. Runs
 * once the finalizer is in place.
 */
async function applyGizmo(
  gizmo: Gizmo,
  request: Request,
  context: ReconcileContext,
): Promise<Result> {
  // TODO: create or update what this Gizmo describes. Give what you create an
  // owner reference to it and watch that kind with `.owns(...)` in
  // registerGizmoController, so its changes bring the Gizmo back here.
  // Objects from the cache are shared: copy them (structuredClone) before changing them.
  context.logger.debug('reconciling', { generation: gizmo.metadata.generation });

  await gizmoObjects(context.client).modify(
    request.name,
    (current) => {
      // TODO: record what you observed: current.status = { ... };
      return current;
    },
    {
      signal: context.signal,
    },
  );
  return {};
}

/**
 * Undoes what applyGizmo did outside the cluster before the Gizmo goes
 * away; runs once per deletion. Throw to keep the finalizer and retry. Objects in the
 * cluster that carry an owner reference to it are garbage-collected without help.
 */
function cleanupGizmo(gizmo: Gizmo, context: ReconcileContext): Promise<void> {
  // TODO: delete what this Gizmo created outside the cluster (buckets, DNS records, ...).
  context.logger.info('cleaning up', { uid: gizmo.metadata.uid });
  return Promise.resolve();
}
