import type {
  Condition,
  int32,
  int64,
  KubeObject,
  LabelSelector,
  MicroTime,
  ObjectMeta,
  Quantity,
  Time,
} from '@kubeforge/runtime/api';
import type { Codec, Destination, Name, Paged, Port, Retention, Window } from './common.ts';

/** A database endpoint. */
export interface Target {
  /** The database host. */
  host: string;
  port: Port;
  /** @format int64 */
  maxBytes?: number;
  /** @format int32 */
  weight?: number;
  protocol: 'TCP' | 'UDP';
  /** @format hostname */
  alias?: string;
}

interface Labels {
  [key: string]: string;
}

interface Owner {
  name: string;
  email: string;
  team: string;
}

interface Limits {
  cpu: Quantity;
  memory: Quantity;
}

/** @structType atomic */
export interface Credentials {
  secretName: Name;
  key: string;
}

/**
 * The desired state of a BackupSchedule.
 * @validation rule="!has(self.suspendUntil) || self.suspend" message="suspendUntil needs suspend"
 */
export interface BackupScheduleSpec {
  /**
   * When to run, as a cron expression.
   *
   * Uses the controller's time zone.
   */
  schedule: string;
  /** Whether runs are paused. */
  suspend?: boolean;
  suspendUntil?: Time;
  /**
   * The databases to back up.
   * @minItems 1
   * @maxItems 10
   * @listType map
   * @listMapKey host
   * @listMapKey port
   */
  targets: Target[];
  /** @uniqueItems */
  tags?: string[];
  /** @listType atomic */
  excludes?: readonly string[];
  /** @listType set */
  zones?: Array<'a' | 'b' | 'c'>;
  destination: Destination;
  codec?: Codec;
  level?: 1 | 3 | 9;
  ratio?: 0.5 | 1.5;
  /** @default "daily" */
  tier?: 'daily' | 'weekly';
  /** @default {"keep": 3} */
  retention?: Retention;
  window?: Window;
  windows?: Paged<Window>;
  ports?: Paged<Port>;
  /** @mapType atomic */
  labels?: Record<string, string>;
  annotations?: Labels;
  /**
   * @minProperties 1
   * @maxProperties 5
   */
  limits?: Record<string, Quantity>;
  resources?: Limits;
  owner?: Pick<Owner, 'name' | 'email'>;
  contact?: Omit<Owner, 'team'>;
  override?: Partial<Owner>;
  credentials?: Credentials & { namespace?: string };
  selector?: LabelSelector;
  /**
   * Free-form settings for plugins.
   * @preserveUnknownFields
   */
  settings?: Record<string, unknown>;
  /** @preserveUnknownFields */
  raw?: unknown;
  /**
   * A copy of the selector, its nested descriptions capped: this one stays.
   * @maxDescriptionLength 24
   */
  shortSelector?: LabelSelector;
  /** A pod-like template. */
  template?: {
    metadata?: ObjectMeta;
    /** @embeddedResource */
    object: KubeObject;
  };
  /** @embeddedResource */
  extra?: unknown;
  /** @nullable */
  note?: string;
  previous?: string | null;
  mode?: 'fast' | 'safe' | null;
  startedAt?: MicroTime;
  bytesTotal?: int64;
  /** @format email */
  notify?: string;
  /**
   * Desired number of runners.
   * @default 1
   */
  replicas?: int32;
}

/** The observed state of a BackupSchedule. */
export interface BackupScheduleStatus {
  /**
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
  lastRun?: Time;
  replicas?: int32;
  selector?: string;
  observedGeneration?: int64;
}

/**
 * A BackupSchedule backs up databases on a cron schedule.
 * @resource
 * @storageVersion
 * @defaulting
 * @validating verbs=create;update;delete failurePolicy=Ignore timeoutSeconds=5
 * @shortName bs
 * @shortName bsched
 * @category all
 * @category backups
 * @subresource status
 * @subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.replicas labelSelectorPath=.status.selector
 * @printColumn name=Schedule type=string jsonPath=.spec.schedule description="The cron schedule"
 * @printColumn name=Suspended type=boolean jsonPath=.spec.suspend
 * @printColumn name=Ready type=string jsonPath='.status.conditions[?(@.type=="Ready")].status' priority=1
 * @printColumn name=Last-Run type=date jsonPath=.status.lastRun format=date-time
 * @printColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 * @validation rule="self.metadata.name.size() <= 40" message="name must be at most 40 characters"
 * @crdLabel app.kubernetes.io/part-of=backup-operator
 * @crdAnnotation example.com/owner="Team Storage"
 */
export interface BackupSchedule {
  apiVersion?: 'backup.example.com/v1';
  kind?: 'BackupSchedule';
  metadata: ObjectMeta;
  spec: BackupScheduleSpec;
  status?: BackupScheduleStatus;
}
