// kubebuilder's CronJob tutorial API (book.kubebuilder.io, cronjob-tutorial), as kubeforge types.
import type { Condition, ObjectMeta, Time, int32, int64 } from '@kubeforge/runtime/api';
import type { JobTemplateSpec } from '@kubeforge/api/batch/v1';
import type { ObjectReference } from '@kubeforge/api/core/v1';

/** CronJobSpec defines the desired state of CronJob */
export interface CronJobSpec {
  /**
   * The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.
   * @minLength 0
   */
  schedule: string;
  /**
   * Optional deadline in seconds for starting the job if it misses scheduled
   * time for any reason.  Missed jobs executions will be counted as failed ones.
   * @minimum 0
   */
  startingDeadlineSeconds?: int64;
  /**
   * Specifies how to treat concurrent executions of a Job.
   * Valid values are:
   * - "Allow" (default): allows CronJobs to run concurrently;
   * - "Forbid": forbids concurrent runs, skipping next run if previous run hasn't finished yet;
   * - "Replace": cancels currently running job and replaces it with a new one
   * @default "Allow"
   */
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false. */
  suspend?: boolean;
  /** Specifies the job that will be created when executing a CronJob. */
  jobTemplate: JobTemplateSpec;
  /**
   * The number of successful finished jobs to retain.
   * This is a pointer to distinguish between explicit zero and not specified.
   * @minimum 0
   */
  successfulJobsHistoryLimit?: int32;
  /**
   * The number of failed finished jobs to retain.
   * This is a pointer to distinguish between explicit zero and not specified.
   * @minimum 0
   */
  failedJobsHistoryLimit?: int32;
}

/** CronJobStatus defines the observed state of CronJob */
export interface CronJobStatus {
  /** A list of pointers to currently running jobs. */
  active?: ObjectReference[];
  /** Information when was the last time the job was successfully scheduled. */
  lastScheduleTime?: Time;
  /**
   * Conditions of the CronJob.
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
}

/**
 * CronJob is the Schema for the cronjobs API
 * @resource
 * @subresource status
 */
export interface CronJob {
  metadata: ObjectMeta;
  spec: CronJobSpec;
  status?: CronJobStatus;
}
