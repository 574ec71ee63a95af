import type { ObjectMeta } from '@kubeforge/runtime/api';

export interface BackupScheduleSpec {
  /** When to run, as a cron expression. */
  schedule: string;
  /** The database host. */
  host?: string;
}

/**
 * A BackupSchedule (first version).
 * @resource
 * @shortName bs
 * @shortName bsched
 * @category all
 * @category backups
 * @deprecated backup.example.com/v1alpha1 BackupSchedule is deprecated; use backup.example.com/v1
 * @conversion none
 */
export interface BackupSchedule {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: BackupScheduleSpec;
}
