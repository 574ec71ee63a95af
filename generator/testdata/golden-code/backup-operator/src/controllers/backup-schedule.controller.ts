/**
 * The BackupSchedule controller: makes the world match each BackupSchedule's spec and records
 * what it observed in the status. Scaffolded once by kubeforge; this file is yours to edit.
 * The generated module it imports is its contract: when the BackupSchedule interface changes
 * and `kubeforge generate` runs, the compiler points at what here needs to follow.
 *
 * `kubeforge generate` turns the @rbac tags below into rules of config/rbac/role.yaml; add
 * one for every other kind this controller reads or writes.
 *
 * @rbac groups=backup.example.com resources=backupschedules verbs=get;list;watch;update;patch
 * @rbac groups=backup.example.com resources=backupschedules/status verbs=get;update;patch
 * @rbac groups=backup.example.com resources=backupschedules/finalizers verbs=update
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
  backupScheduleObjects,
  backupScheduleResource,
  markBackupScheduleReconciled,
  type BackupSchedule,
} from '../generated/backup.example.com/v1/backup-schedule.ts';

/** Kept on every BackupSchedule until its cleanup ran, so deleting one waits for the cleanup. */
export const backupScheduleFinalizer = 'backup.example.com/finalizer';

/** Adds the BackupSchedule controller to the manager; called from src/main.ts. */
export function registerBackupScheduleController(manager: Manager): void {
  manager.add(controllerFor<BackupSchedule>(backupScheduleResource).complete(reconcileBackupSchedule));
}

/**
 * Reconciles one BackupSchedule. Level-based: `request` names the object, not what
 * happened to it, so read the current state and converge. Throw to retry with backoff;
 * throw a `TerminalError` when retrying cannot help.
 */
export async function reconcileBackupSchedule(request: Request, context: ReconcileContext): Promise<Result> {
  const backupSchedules = backupScheduleObjects(context.client);
  const backupSchedule = await backupSchedules.get(request.name, {
    namespace: request.namespace ?? '',
    signal: context.signal,
  });
  if (backupSchedule === undefined) return {}; // deleted, and its cleanup already ran
  return finalize(backupSchedules, backupSchedule, {
    finalizer: backupScheduleFinalizer,
    signal: context.signal,
    apply: (current) => applyBackupSchedule(current, request, context),
    cleanup: (current) => cleanupBackupSchedule(current, context),
  });
}

/**
 * Makes the world match the BackupSchedule's spec, then records what was observed. Runs
 * once the finalizer is in place.
 * `markBackupScheduleReconciled` (generated beside the BackupSchedule client) sets
 * `status.observedGeneration` and a `Ready` condition where the BackupSchedule's status declares
 * them, and follows the types when they change.
 */
async function applyBackupSchedule(
  backupSchedule: BackupSchedule,
  request: Request,
  context: ReconcileContext,
): Promise<Result> {
  // TODO: create or update what this BackupSchedule describes. Give what you create an
  // owner reference to it and watch that kind with `.owns(...)` in
  // registerBackupScheduleController, so its changes bring the BackupSchedule back here.
  // Objects from the cache are shared: copy them (structuredClone) before changing them.
  context.logger.debug('reconciling', { generation: backupSchedule.metadata.generation });

  await backupScheduleObjects(context.client).modify(
    request.name,
    (current) => {
      // TODO: record what you observed in current.status.
      markBackupScheduleReconciled(current);
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
 * Undoes what applyBackupSchedule did outside the cluster before the BackupSchedule goes
 * away; runs once per deletion. Throw to keep the finalizer and retry. Objects in the
 * cluster that carry an owner reference to it are garbage-collected without help.
 */
function cleanupBackupSchedule(backupSchedule: BackupSchedule, context: ReconcileContext): Promise<void> {
  // TODO: delete what this BackupSchedule created outside the cluster (buckets, DNS records, ...).
  context.logger.info('cleaning up', { uid: backupSchedule.metadata.uid });
  return Promise.resolve();
}
