/**
 * The lock leader election contends for: a coordination.k8s.io/v1 Lease. Writes use
 * optimistic concurrency — every update carries the resourceVersion the elector last read,
 * so two candidates can never both win the same round. Candidates also watch the Lease
 * (`observe`), so a standby learns of each renewal and release as it happens.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { assertNever, type KubeObject, type MicroTime, type ResourceDescriptor } from '../api/index.ts';
import { createResourceClient } from '../client/create-resource-client.ts';
import { isNotFound } from '../client/errors.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import { errorFields, noopLogger, type Logger } from '../log/logger.ts';
import { createWatcher } from '../watch/watcher.ts';
import { LeaderElectionConfigError } from './config.ts';

/** What a lock records about its holder; times are epoch milliseconds. */
export interface LeaderElectionRecord {
  /** `''` when nobody holds the lock (e.g. after a release). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: number | undefined;
  readonly renewTime: number | undefined;
  readonly leaderTransitions: number;
}

/** A record as read from (or written to) the lock, with the version for the next write. */
export interface LockSnapshot {
  readonly record: LeaderElectionRecord;
  /** Opaque (the Lease's resourceVersion); changes on every write. */
  readonly version: string;
}

export interface LockRequestOptions {
  readonly signal?: AbortSignal;
}

/**
 * A store for one {@link LeaderElectionRecord}. Implementations must make `update` fail when
 * the stored version is no longer `version`, and `create` fail when the lock exists.
 */
export interface ResourceLock {
  /** The current record, or `undefined` when the lock object does not exist. */
  get(options?: LockRequestOptions): Promise<LockSnapshot | undefined>;
  create(record: LeaderElectionRecord, options?: LockRequestOptions): Promise<LockSnapshot>;
  update(record: LeaderElectionRecord, version: string, options?: LockRequestOptions): Promise<LockSnapshot>;
  /** `namespace/name`, for logs and metrics. */
  describe(): string;
  /**
   * Optional: reports every change of the stored record as it happens (`undefined` when the
   * lock object is deleted), until `signal` aborts. Never throws; failures are retried. The
   * elector uses it to time expiry from the renewal it saw and to notice a release at once;
   * without it, the elector polls every retry period.
   */
  observe?(onChange: (snapshot: LockSnapshot | undefined) => void, signal: AbortSignal): void;
}

/** coordination.k8s.io/v1 Lease. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: MicroTime;
    renewTime?: MicroTime;
    leaseTransitions?: number;
    [field: string]: unknown;
  };
}

export const leaseResource: ResourceDescriptor = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
};

export interface LeaseLockOptions {
  readonly namespace: string;
  readonly name: string;
  /** Builds the client from this KubeConfig (ignored when `client` is given). */
  readonly kubeConfig?: KubeConfig;
  /** A Lease client to use, e.g. with custom transport or timeouts. */
  readonly client?: ResourceClient<Lease>;
  /** Labels put on the Lease when it is created. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Logs of the Lease watch (failures are logged at warn and retried). Default: none. */
  readonly logger?: Logger;
}

export function createLeaseLock(options: LeaseLockOptions): ResourceLock {
  const { namespace, name } = options;
  const client =
    options.client ??
    (options.kubeConfig === undefined
      ? undefined
      : createResourceClient<Lease>(options.kubeConfig, leaseResource, {
          fieldManager: 'kubeforge-leader-election',
        }));
  if (client === undefined) {
    throw new LeaderElectionConfigError([
      `createLeaseLock(${namespace}/${name}): pass kubeConfig (a KubeConfig) or client (a Lease ResourceClient)`,
    ]);
  }
  // The last Lease read or written, so updates keep its labels, annotations and unknown spec fields.
  let last: Lease | undefined;

  const snapshot = (lease: Lease): LockSnapshot => {
    last = lease;
    return { record: recordOf(lease), version: lease.metadata.resourceVersion ?? '' };
  };

  return {
    describe: () => `${namespace}/${name}`,
    observe(onChange, signal) {
      const watcher = createWatcher<Lease>(client.inNamespace(namespace), {
        fieldSelector: `metadata.name=${name}`,
        name: `lease ${namespace}/${name}`,
        logger: options.logger ?? noopLogger,
        signal,
      });
      // Recorded like a read, so an update from this version keeps the Lease's other fields.
      const toSnapshot = snapshot;
      void (async () => {
        for await (const event of watcher) {
          switch (event.type) {
            case 'listed': {
              const lease = event.objects[0];
              onChange(lease === undefined ? undefined : toSnapshot(lease));
              break;
            }
            case 'added':
            case 'modified':
              onChange(toSnapshot(event.object));
              break;
            case 'deleted':
              onChange(undefined);
              break;
            case 'bookmark':
              break;
            default:
              assertNever(event, 'watcher event');
          }
        }
      })().catch((error: unknown) => {
        (options.logger ?? noopLogger).error('the lease watch ended; the elector polls instead', {
          lease: `${namespace}/${name}`,
          error: errorFields(error),
        });
      });
    },
    async get(opts = {}) {
      try {
        return snapshot(await client.get(name, { namespace, ...signalOf(opts) }));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async create(record, opts = {}) {
      const lease: Lease = {
        metadata: { name, namespace, ...(options.labels ? { labels: { ...options.labels } } : {}) },
        spec: specOf(record),
      };
      return snapshot(await client.create(lease, signalOf(opts)));
    },
    async update(record, version, opts = {}) {
      const base: Lease =
        last?.metadata.resourceVersion === version ? last : { metadata: { name, namespace } };
      const lease: Lease = {
        ...base,
        metadata: { ...base.metadata, name, namespace, resourceVersion: version },
        spec: { ...base.spec, ...specOf(record) },
      };
      return snapshot(await client.update(lease, signalOf(opts)));
    },
  };
}

function signalOf(options: LockRequestOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}

function recordOf(lease: Lease): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: parseTime(spec.acquireTime),
    renewTime: parseTime(spec.renewTime),
    leaderTransitions: spec.leaseTransitions ?? 0,
  };
}

function specOf(record: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    leaseTransitions: record.leaderTransitions,
    ...(record.acquireTime === undefined ? {} : { acquireTime: toMicroTime(record.acquireTime) }),
    ...(record.renewTime === undefined ? {} : { renewTime: toMicroTime(record.renewTime) }),
  };
}

/** RFC 3339 with exactly six fractional digits, as metav1.MicroTime serialises. */
export function toMicroTime(epochMs: number): MicroTime {
  const whole = Math.floor(epochMs);
  const micros = Math.floor((epochMs - whole) * 1000);
  const iso = new Date(whole).toISOString(); // 2024-01-02T15:04:05.123Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

function parseTime(value: MicroTime | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
