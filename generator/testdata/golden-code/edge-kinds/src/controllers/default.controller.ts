/**
 * The Default controller: makes the world match each Default's spec and records
 * what it observed in the status. Scaffolded once by kubeforge; this file is yours to edit.
 * The generated module it imports is its contract: when the Default interface changes
 * and `kubeforge generate` runs, the compiler points at what here needs to follow.
 *
 * `kubeforge generate` turns the @rbac tags below into rules of config/rbac/role.yaml; add
 * one for every other kind this controller reads or writes.
 *
 * @rbac groups=edge.example.com resources=defaults verbs=get;list;watch;update;patch
 * @rbac groups=edge.example.com resources=defaults/status verbs=get;update;patch
 * @rbac groups=edge.example.com resources=defaults/finalizers verbs=update
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
  defaultObjects,
  defaultResource,
  markDefaultReconciled,
  type Default,
} from '../generated/edge.example.com/v1/default.ts';

/** Kept on every Default until its cleanup ran, so deleting one waits for the cleanup. */
export const defaultFinalizer = 'edge.example.com/finalizer';

/** Adds the Default controller to the manager; called from src/main.ts. */
export function registerDefaultController(manager: Manager): void {
  manager.add(controllerFor<Default>(defaultResource).complete(reconcileDefault));
}

/**
 * Reconciles one Default. Level-based: `request` names the object, not what
 * happened to it, so read the current state and converge. Throw to retry with backoff;
 * throw a `TerminalError` when retrying cannot help.
 */
export async function reconcileDefault(request: Request, context: ReconcileContext): Promise<Result> {
  const defaults = defaultObjects(context.client);
  const defaultObject = await defaults.get(request.name, {
    namespace: request.namespace ?? '',
    signal: context.signal,
  });
  if (defaultObject === undefined) return {}; // deleted, and its cleanup already ran
  return finalize(defaults, defaultObject, {
    finalizer: defaultFinalizer,
    signal: context.signal,
    apply: (current) => applyDefault(current, request, context),
    cleanup: (current) => cleanupDefault(current, context),
  });
}

/**
 * Makes the world match the Default's spec, then records what was observed. Runs
 * once the finalizer is in place.
 * `markDefaultReconciled` (generated beside the Default client) sets
 * `status.observedGeneration` and a `Ready` condition where the Default's status declares
 * them, and follows the types when they change.
 */
async function applyDefault(
  defaultObject: Default,
  request: Request,
  context: ReconcileContext,
): Promise<Result> {
  // TODO: create or update what this Default describes. Give what you create an
  // owner reference to it and watch that kind with `.owns(...)` in
  // registerDefaultController, so its changes bring the Default back here.
  // Objects from the cache are shared: copy them (structuredClone) before changing them.
  context.logger.debug('reconciling', { generation: defaultObject.metadata.generation });

  await defaultObjects(context.client).modify(
    request.name,
    (current) => {
      // TODO: record what you observed in current.status.
      markDefaultReconciled(current);
      return current;
    },
    {
      namespace: request.namespace ?? '',
      status: true,
      signal: context.signal,
    },
  );
  return {};
}

/**
 * Undoes what applyDefault did outside the cluster before the Default goes
 * away; runs once per deletion. Throw to keep the finalizer and retry. Objects in the
 * cluster that carry an owner reference to it are garbage-collected without help.
 */
function cleanupDefault(defaultObject: Default, context: ReconcileContext): Promise<void> {
  // TODO: delete what this Default created outside the cluster (buckets, DNS records, ...).
  context.logger.info('cleaning up', { uid: defaultObject.metadata.uid });
  return Promise.resolve();
}
