/**
 * The Mapping controller: makes the world match each Mapping's spec and records
 * what it observed in the status. Scaffolded once by kubeforge; this file is yours to edit.
 * The generated module it imports is its contract: when the Mapping interface changes
 * and `kubeforge generate` runs, the compiler points at what here needs to follow.
 *
 * `kubeforge generate` turns the @rbac tags below into rules of config/rbac/role.yaml; add
 * one for every other kind this controller reads or writes.
 *
 * @rbac groups=mapping.example.com resources=mappings verbs=get;list;watch;update;patch
 * @rbac groups=mapping.example.com resources=mappings/finalizers verbs=update
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
  mappingObjects,
  mappingResource,
  type Mapping,
} from '../generated/mapping.example.com/v1/mapping.ts';

/** Kept on every Mapping until its cleanup ran, so deleting one waits for the cleanup. */
export const mappingFinalizer = 'mapping.example.com/finalizer';

/** Adds the Mapping controller to the manager; called from src/main.ts. */
export function registerMappingController(manager: Manager): void {
  manager.add(controllerFor<Mapping>(mappingResource).complete(reconcileMapping));
}

/**
 * Reconciles one Mapping. Level-based: `request` names the object, not what
 * happened to it, so read the current state and converge. Throw to retry with backoff;
 * throw a `TerminalError` when retrying cannot help.
 */
export async function reconcileMapping(request: Request, context: ReconcileContext): Promise<Result> {
  const mappings = mappingObjects(context.client);
  const mapping = await mappings.get(request.name, { signal: context.signal });
  if (mapping === undefined) return {}; // deleted, and its cleanup already ran
  return finalize(mappings, mapping, {
    finalizer: mappingFinalizer,
    signal: context.signal,
    apply: (current) => applyMapping(current, context),
    cleanup: (current) => cleanupMapping(current, context),
  });
}

/**
 * Makes the world match the Mapping's spec, then records what was observed. Runs
 * once the finalizer is in place.
 */
function applyMapping(mapping: Mapping, context: ReconcileContext): Promise<Result> {
  // TODO: create or update what this Mapping describes. Give what you create an
  // owner reference to it and watch that kind with `.owns(...)` in
  // registerMappingController, so its changes bring the Mapping back here.
  // Objects from the cache are shared: copy them (structuredClone) before changing them.
  context.logger.debug('reconciling', { generation: mapping.metadata.generation });
  // Mapping declares no status: add a `status` property to its interface to record
  // what you observe.
  return Promise.resolve({});
}

/**
 * Undoes what applyMapping did outside the cluster before the Mapping goes
 * away; runs once per deletion. Throw to keep the finalizer and retry. Objects in the
 * cluster that carry an owner reference to it are garbage-collected without help.
 */
function cleanupMapping(mapping: Mapping, context: ReconcileContext): Promise<void> {
  // TODO: delete what this Mapping created outside the cluster (buckets, DNS records, ...).
  context.logger.info('cleaning up', { uid: mapping.metadata.uid });
  return Promise.resolve();
}
