/** The manager's public contract: its options, its interface and its error. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../api/index.ts';
import type { SharedInformerFactory, Transform } from '../cache/types.ts';
import type { ControllerBlueprint } from '../controller/builder.ts';
import type { Client } from '../controller/client.ts';
import type { EventRecorder } from '../events/recorder.ts';
import type { LeaderElectionTiming } from '../leader-election/config.ts';
import type { WatcherOptions } from '../watch/types.ts';
import type { ProcessFailurePolicy } from './process-failures.ts';
import type { Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
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
  /** Serve `/healthz`, `/readyz` and `/metrics` on this port (`0`: any free port). Default: not served. */
  readonly probes?: { readonly port: number; readonly host?: string };
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
   * Restrict every cache to one namespace (namespaced kinds), transform cached objects, keep
   * `metadata.managedFields` in them (dropped by default; see InformerOptions), and sync them
   * with watch-list where the server offers it (`watchList`; see WatcherOptions).
   */
  readonly cache?: {
    readonly namespace?: string;
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

export interface Manager {
  /** Adds a controller; only before `start()`. */
  add(blueprint: ControllerBlueprint): void;
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
  /** Cache-backed reads, API writes: the client reconcilers get. */
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
}

export class ManagerError extends Error {
  readonly reason: 'InvalidOptions' | 'AlreadyStarted' | 'DuplicateController' | 'LeaderElectionLost';
  constructor(reason: ManagerError['reason'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ManagerError';
    this.reason = reason;
  }
}
