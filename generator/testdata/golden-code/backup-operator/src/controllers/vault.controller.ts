/**
 * The Vault controller: makes the world match each Vault's spec and records
 * what it observed in the status. Scaffolded once by kubeforge; this file is yours to edit.
 * The generated module it imports is its contract: when the Vault interface changes
 * and `kubeforge generate` runs, the compiler points at what here needs to follow.
 *
 * `kubeforge generate` turns the @rbac tags below into rules of config/rbac/role.yaml; add
 * one for every other kind this controller reads or writes.
 *
 * @rbac groups=storage.example.com resources=vaults verbs=get;list;watch;update;patch
 * @rbac groups=storage.example.com resources=vaults/status verbs=get;update;patch
 * @rbac groups=storage.example.com resources=vaults/finalizers verbs=update
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
  vaultObjects,
  vaultResource,
  type Vault,
} from '../generated/storage.example.com/v1/vault.ts';

/** Kept on every Vault until its cleanup ran, so deleting one waits for the cleanup. */
export const vaultFinalizer = 'storage.example.com/finalizer';

/** Adds the Vault controller to the manager; called from src/main.ts. */
export function registerVaultController(manager: Manager): void {
  manager.add(controllerFor<Vault>(vaultResource).complete(reconcileVault));
}

/**
 * Reconciles one Vault. Level-based: `request` names the object, not what
 * happened to it, so read the current state and converge. Throw to retry with backoff;
 * throw a `TerminalError` when retrying cannot help.
 */
export async function reconcileVault(request: Request, context: ReconcileContext): Promise<Result> {
  const vaults = vaultObjects(context.client);
  const vault = await vaults.get(request.name, { signal: context.signal });
  if (vault === undefined) return {}; // deleted, and its cleanup already ran
  return finalize(vaults, vault, {
    finalizer: vaultFinalizer,
    signal: context.signal,
    apply: (current) => applyVault(current, request, context),
    cleanup: (current) => cleanupVault(current, context),
  });
}

/**
 * Makes the world match the Vault's spec, then records what was observed. Runs
 * once the finalizer is in place.
 */
async function applyVault(
  vault: Vault,
  request: Request,
  context: ReconcileContext,
): Promise<Result> {
  // TODO: create or update what this Vault describes. Give what you create an
  // owner reference to it and watch that kind with `.owns(...)` in
  // registerVaultController, so its changes bring the Vault back here.
  // Objects from the cache are shared: copy them (structuredClone) before changing them.
  context.logger.debug('reconciling', { generation: vault.metadata.generation });

  await vaultObjects(context.client).modify(
    request.name,
    (current) => {
      // TODO: record what you observed: current.status = { ... };
      return current;
    },
    {
      status: true,
      signal: context.signal,
    },
  );
  return {};
}

/**
 * Undoes what applyVault did outside the cluster before the Vault goes
 * away; runs once per deletion. Throw to keep the finalizer and retry. Objects in the
 * cluster that carry an owner reference to it are garbage-collected without help.
 */
function cleanupVault(vault: Vault, context: ReconcileContext): Promise<void> {
  // TODO: delete what this Vault created outside the cluster (buckets, DNS records, ...).
  context.logger.info('cleaning up', { uid: vault.metadata.uid });
  return Promise.resolve();
}
