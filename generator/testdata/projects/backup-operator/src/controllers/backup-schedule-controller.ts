/**
 * Reconciles BackupSchedules into CronJobs.
 * @rbac groups=batch resources=cronjobs verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=core resources=secrets verbs=get;list;watch
 * @rbac groups=core resources=configmaps verbs=get resourceNames=backup-config
 */
export class BackupScheduleController {
  /** @rbac groups=batch resources=jobs;cronjobs verbs=get;list */
  reconcile(): void {}
}
