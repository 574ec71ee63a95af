/** The manager's public contract: its options, its interface and its error. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import type { ResourceScope } from '../cache/resource-scope.ts';
import type { SharedInformerFactory, Transform } from '../cache/types.ts';
import type { ControllerBlueprint } from '../controller/builder.ts';
import type { Client } from '../controller/client.ts';
import type { EventRecorder } from '../events/recorder.ts';
import type { LeaderElectionTiming } from '../leader-election/config.ts';
import type { WatcherOptions } from '../watch/types.ts';
import type { ProcessFailurePolicy } from './process-failures.ts';
import type { Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { ScrapeAuthorizer } from '../metrics/review-authorizer.ts';
import type { CertificateSource } from '../webhook/certs/source.ts';
import type { WebhookRegistration } from '../webhook/server.ts';

export interface LeaderElectionOptions extends Partial<LeaderElectionTiming> {
  /** The Lease's name, e.g. `foo-operator-leader`. */
  readonly leaseName: string;
  /** The Lease's namespace (usually the operator's own). */
  readonly namespace: string;
  /** Unique per process; default `hostname_uuid`. */
  readonly identity?: string;
  /**
   * Called once this process holds the lease, just before its controllers start. `signal`
   * aborts when leading ends. Throws are logged, never fatal.
   */
  readonly onStartedLeading?: (signal: AbortSignal) => void;
  /** Called after leading ends, for any reason (not called if this process never led). */
  readonly onStoppedLeading?: () => void;
  /** Called with each new holder identity observed (this process's own included). */
  readonly onNewLeader?: (identity: string) => void;
}

/** The watcher settings a manager passes to every informer. */
export type ManagerWatcherOptions = Pick<
  WatcherOptions,
  'backoff' | 'idleTimeoutMs' | 'listTimeoutMs' | 'pageSize' | 'watchTimeoutSeconds' | 'watchList'
>;

export interface ManagerOptions {
  readonly kubeConfig: KubeConfig;
  /** Names the process in logs; default `manager`. */
  readonly name?: string;
  /** Default: JSON lines on stdout at `$LOG_LEVEL` (or info). */
  readonly logger?: Logger;
  /** Default: a fresh prom-client registry with process metrics. */
  readonly metrics?: Metrics;
  /** Serve `/healthz` and `/readyz` on this port (`0`: any free port). Default: not served. */
  readonly probes?: { readonly port: number; readonly host?: string };
  /**
   * Serve `/metrics` on its own port (`0`: any free port), as controller-runtime's metrics
   * server does. Default: not served. `secure` (default `true`): HTTPS, and every scrape
   * authenticated with a TokenReview and authorized with a SubjectAccessReview of `get` on
   * the `/metrics` non-resource URL (the operator then needs `create` on `tokenreviews` and
   * `subjectaccessreviews`: config/rbac/metrics_auth_role.yaml). `certificates` default to a
   * self-signed pair made at start-up for localhost, 127.0.0.1 and the host name;
   * `authorizer` to the reviews through `kubeConfig`. `secure: false` serves plain HTTP to
   * anyone (local development).
   */
  readonly metricsServer?: {
    readonly port: number;
    readonly host?: string;
    readonly secure?: boolean;
    readonly certificates?: CertificateSource;
    readonly authorizer?: ScrapeAuthorizer;
  };
  /**
   * The webhook server, run on every replica once a webhook is added. Defaults: port 9443,
   * all interfaces, certificates from `/tmp/k8s-webhook-server/serving-certs/tls.{crt,key}`
   * (controller-runtime's path), reloaded when they change.
   */
  readonly webhook?: {
    readonly port?: number;
    readonly host?: string;
    readonly certificates?: CertificateSource;
    /** Handlers that have not answered after this long get an error answer; default 9 000 ms. */
    readonly handlerTimeoutMs?: number;
    /** Where ConversionReviews are served; default `/convert`. */
    readonly conversionPath?: string;
  };
  /** Enable leader election; default off (every replica reconciles). */
  readonly leaderElection?: LeaderElectionOptions;
  /**
   * What the caches hold and how: the namespaces every namespaced kind is cached in
   * (`namespaces`, one informer per namespace; `namespace` for just one), default label and
   * field selectors, per-kind scopes (`byResource`), a transform of cached objects,
   * `metadata.managedFields` kept (dropped by default; see InformerOptions), and watch-list
   * where the server offers it (`watchList`; see WatcherOptions).
   *
   * Controllers' watches and every cached read stay inside these scopes: a read outside them
   * throws `CachedClientError('OutsideScope')` rather than starting a wider watch.
   */
  readonly cache?: {
    /** Namespaces to cache namespaced kinds in; default every namespace. */
    readonly namespaces?: readonly string[];
    /** Shorthand for `namespaces: [namespace]`. */
    readonly namespace?: string;
    /** Cache only objects with these labels (every kind), unless `byResource` says otherwise. */
    readonly labelSelector?: string;
    /** Cache only objects with these fields (every kind), unless `byResource` says otherwise. */
    readonly fieldSelector?: string;
    /**
     * Per-kind scopes (controller-runtime's `ByObject`): each field set here replaces the
     * default for that kind (`namespaces` only for namespaced kinds). One entry per kind.
     */
    readonly byResource?: readonly ResourceCacheScope[];
    readonly transform?: Transform<KubeObject>;
    readonly keepManagedFields?: boolean;
    readonly watchList?: boolean;
    /**
     * Watcher settings for every informer of the manager: reconnect `backoff`,
     * `idleTimeoutMs`, `listTimeoutMs`, `pageSize`, `watchTimeoutSeconds`. See
     * WatcherOptions and docs/recovery.md for the defaults and what each one changes.
     */
    readonly watcher?: ManagerWatcherOptions;
  };
  /** Use this informer factory instead of creating one (tests, sharing with other code). */
  readonly informers?: SharedInformerFactory;
  /** Field manager of writes through the controllers' clients; default the manager's name. */
  readonly fieldManager?: string;
  /**
   * How often every controller re-reconciles all its primary objects (jittered up to +10 %),
   * unless a controller sets its own `resyncPeriod`; `0` disables. Default 10 hours.
   */
  readonly syncPeriodMs?: number;
  /** In-flight reconciles get this long to finish on shutdown; default 30 000 ms. */
  readonly shutdownTimeoutMs?: number;
  /** Stop gracefully on SIGTERM and SIGINT, then exit 0; default `true`. */
  readonly handleSignals?: boolean;
  /**
   * What to do with an unhandled promise rejection or an uncaught exception outside any
   * reconcile, while the manager runs: `exit` (default) logs it with its type and value,
   * counts it in `kubeforge_process_failures_total{kind}` and exits 1 so Kubernetes restarts
   * the Pod; `log` logs and counts only; `off` leaves Node's defaults. See docs/recovery.md.
   */
  readonly processFailures?: ProcessFailurePolicy;
  /** How the process exits (after losing the lease, or after a signal); default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/** The cache scope of one kind (see `ManagerOptions.cache.byResource`). */
export interface ResourceCacheScope extends ResourceScope {
  readonly resource: ResourceDescriptor;
}

export interface Manager {
  /**
   * Adds a controller, before or after `start()`. On a running manager its informers are
   * acquired (and filled) at once and, while this replica leads, the controller starts once
   * they synced. Names are unique among the controllers the manager holds.
   */
  add(blueprint: ControllerBlueprint): void;
  /**
   * Removes a controller: stops its intake and workers, drains its queue (in-flight
   * reconciles get `shutdownTimeoutMs`), and releases its informers and its client's: an
   * informer no other controller or reader holds stops its watch and frees its cache.
   * Throws `UnknownController` for a name the manager does not hold.
   */
  remove(name: string): Promise<void>;
  /**
   * Declares an index over a kind's cache (controller-runtime's `IndexField`), queried with
   * `client.resource(kind).list({ matchingFields: { [name]: value } })`. `index` returns the
   * values an object is found under (none: not indexed). Applies to the kind's informers now
   * and later; declaring another function under a taken name throws.
   */
  indexField<T extends KubeObject>(
    resource: ResourceDescriptor<T>,
    name: string,
    index: (obj: T) => string | readonly string[] | undefined,
  ): void;
  /**
   * Serves a webhook (`defaulting(...)`, `validating(...)`, `admission(...)`,
   * `conversion(...)`) on every replica; only before `start()`. `/readyz` then waits until
   * the webhook server answers TLS handshakes.
   */
  addWebhook(webhook: WebhookRegistration): void;
  /**
   * Runs until stopped. Resolves after a clean shutdown. After losing the lease it calls
   * `exit(1)` and, if that returns (tests), rejects with the loss.
   */
  start(): Promise<void>;
  /** Graceful shutdown (see the module comment); idempotent. */
  stop(): Promise<void>;
  /**
   * Cache-backed reads inside the manager's cache scopes, API writes. Each reconciler gets a
   * client of its own that reads its controller's scopes (see `CachedClient`).
   */
  readonly client: Client;
  readonly informers: SharedInformerFactory;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** A recorder writing Events as `component`. */
  eventRecorder(component: string): EventRecorder;
  /** Every cache synced and (with leader election) the election decided. */
  isReady(): boolean;
  /** Whether controllers are running (always, once started, without leader election). */
  isLeading(): boolean;
  /** The leader election identity (`undefined` without leader election). */
  readonly identity: string | undefined;
  /** The webhook server's base URL once it serves, e.g. `https://127.0.0.1:9443`. */
  readonly webhookUrl: string | undefined;
  /** The probe server's base URL once started, e.g. `http://127.0.0.1:8081`. */
  readonly probeUrl: string | undefined;
  /** The metrics server's base URL once started, e.g. `https://127.0.0.1:8443`. */
  readonly metricsUrl: string | undefined;
}

export class ManagerError extends Error {
  readonly reason:
    | 'InvalidOptions'
    | 'AlreadyStarted'
    | 'DuplicateController'
    | 'UnknownController'
    | 'Stopped'
    | 'LeaderElectionLost';
  constructor(reason: ManagerError['reason'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ManagerError';
    this.reason = reason;
  }
}
