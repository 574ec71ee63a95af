/**
 * The manager runs an operator process: many controllers over one shared informer factory,
 * a client per controller whose reads come from the cache and writes go to the API server,
 * optional Lease-based leader election, the `/healthz` `/readyz` `/metrics` endpoints, JSON
 * logs, and signal handling.
 *
 * Guarantees:
 * - Caches are filled on every replica (standbys take over warm), but controllers run only
 *   while this process holds the lease.
 * - Losing the lease stops intake at once, aborts in-flight reconciles, and exits the process
 *   (non-zero) well before the lease could expire for another replica, so two replicas never
 *   reconcile at the same time.
 * - A clean shutdown (SIGTERM/SIGINT or `stop()`) stops intake, lets in-flight reconciles
 *   finish within `shutdownTimeoutMs`, then releases the lease so a standby takes over at once.
 * - `/readyz` fails until every cache synced and, with leader election, until the election
 *   is decided (a holder is known).
 */
import { hostname } from 'node:os';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import { apiVersionOf } from '../api/index.ts';
import type { InformerScope, SharedInformerFactory } from '../cache/types.ts';
import { createSharedInformerFactory } from '../cache/shared-informer-factory.ts';
import { createResourceClient } from '../client/create-resource-client.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import type { Client } from '../controller/client.ts';
import { createCachedClient } from '../controller/client.ts';
import type { ControllerBlueprint } from '../controller/builder.ts';
import type { Controller, WatchSource } from '../controller/types.ts';
import { createController } from '../controller/controller.ts';
import type { CoreEvent, EventRecorder } from '../events/recorder.ts';
import { createEventRecorder, eventResource } from '../events/recorder.ts';
import type { LeaderElectionTiming } from '../leader-election/config.ts';
import { defaultLeaderIdentity, validateLeaderElectionTiming } from '../leader-election/config.ts';
import type { LeaderElector } from '../leader-election/leader-elector.ts';
import { createLeaderElector, LeaderElectionLostError } from '../leader-election/leader-elector.ts';
import { createLeaseLock } from '../leader-election/lease-lock.ts';
import type { Logger } from '../log/logger.ts';
import { createLogger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { createMetrics } from '../metrics/metrics.ts';
import type { ProbeServer } from '../metrics/probe-server.ts';
import { HealthCheckError, startProbeServer } from '../metrics/probe-server.ts';
import { errorFields } from '../log/logger.ts';
import { fileCertificates } from '../webhook/certs/file-source.ts';
import type { WebhookRegistration, WebhookServer } from '../webhook/server.ts';
import { startWebhookServer, WebhookRoutes } from '../webhook/server.ts';
import { installProcessFailureHandlers } from './process-failures.ts';
import type { Manager, ManagerOptions } from './types.ts';
import { ManagerError } from './types.ts';

export function createManager(options: ManagerOptions): Manager {
  return new OperatorManager(options);
}

class OperatorManager implements Manager {
  readonly client: Client;
  readonly informers: SharedInformerFactory;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly identity: string | undefined;
  readonly #options: ManagerOptions;
  readonly #timing: LeaderElectionTiming | undefined;
  readonly #blueprints: ControllerBlueprint[] = [];
  readonly #controllers: Controller[] = [];
  readonly #recorders = new Map<string, EventRecorder>();
  readonly #apiClients = new Map<string, ResourceClient<KubeObject>>();
  readonly #stop = new AbortController();
  readonly #untrack: (() => void)[] = [];
  #elector: LeaderElector | undefined;
  #probe: ProbeServer | undefined;
  readonly #webhooks: WebhookRegistration[] = [];
  readonly #webhookRoutes = new WebhookRoutes();
  #webhookServer: WebhookServer | undefined;
  #started = false;
  #leading = false;
  #cachesSynced = false;
  #stopping: Promise<void> | undefined;
  #finished: Promise<void> | undefined;
  #signalHandler: (() => void) | undefined;

  constructor(options: ManagerOptions) {
    this.#options = options;
    const name = options.name ?? 'manager';
    this.logger = options.logger ?? createLogger({ name });
    this.metrics = options.metrics ?? createMetrics();
    if (options.shutdownTimeoutMs !== undefined && !(options.shutdownTimeoutMs >= 0)) {
      throw new ManagerError(
        'InvalidOptions',
        `createManager: shutdownTimeoutMs must be >= 0, got ${options.shutdownTimeoutMs}`,
      );
    }
    const le = options.leaderElection;
    if (le !== undefined) {
      this.identity = le.identity ?? defaultLeaderIdentity();
      this.#timing = validateLeaderElectionTiming(le, this.identity);
      if (!le.leaseName || !le.namespace) {
        throw new ManagerError(
          'InvalidOptions',
          'createManager: leaderElection needs leaseName and namespace (where the Lease object lives)',
        );
      }
    }
    this.informers =
      options.informers ??
      createSharedInformerFactory({
        kubeConfig: options.kubeConfig,
        logger: this.logger.child({ component: 'cache' }),
        ...(options.cache?.transform !== undefined && { transform: options.cache.transform }),
        ...(options.cache?.keepManagedFields !== undefined && {
          keepManagedFields: options.cache.keepManagedFields,
        }),
        ...((options.cache?.watcher !== undefined || options.cache?.watchList !== undefined) && {
          watcher: {
            ...options.cache.watcher,
            ...(options.cache.watchList !== undefined && { watchList: options.cache.watchList }),
          },
        }),
      });
    this.#createElector();
    this.client = createCachedClient({
      informers: this.informers,
      apiClient: (resource) => this.#apiClient(resource),
      ...(options.cache?.namespace !== undefined && { scope: { namespace: options.cache.namespace } }),
    });
  }

  get webhookUrl(): string | undefined {
    return this.#webhookServer?.url;
  }

  addWebhook(webhook: WebhookRegistration): void {
    if (this.#started)
      throw new ManagerError('AlreadyStarted', 'manager.addWebhook: add webhooks before start()');
    try {
      this.#webhookRoutes.add(webhook);
    } catch (error) {
      throw new ManagerError('InvalidOptions', `manager.addWebhook: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#webhooks.push(webhook);
  }

  get probeUrl(): string | undefined {
    return this.#probe?.url;
  }

  add(blueprint: ControllerBlueprint): void {
    if (this.#started) {
      throw new ManagerError(
        'AlreadyStarted',
        `manager.add(${blueprint.name}): add controllers before start()`,
      );
    }
    if (this.#blueprints.some((b) => b.name === blueprint.name)) {
      throw new ManagerError(
        'DuplicateController',
        `manager.add: a controller named "${blueprint.name}" was already added; give one another name with .named(...)`,
      );
    }
    this.#blueprints.push(blueprint);
  }

  eventRecorder(component: string): EventRecorder {
    let recorder = this.#recorders.get(component);
    if (recorder === undefined) {
      recorder = createEventRecorder({
        client: this.#apiClient(eventResource) as unknown as ResourceClient<CoreEvent>,
        component,
        host: this.identity ?? hostname(),
        logger: this.logger.child({ component: 'events' }),
      });
      this.#recorders.set(component, recorder);
    }
    return recorder;
  }

  isReady(): boolean {
    if (!this.#cachesSynced) return false;
    if (this.#webhooks.length > 0 && this.#webhookServer === undefined) return false;
    return this.#elector === undefined || this.#elector.leader() !== undefined;
  }

  isLeading(): boolean {
    return this.#leading;
  }

  start(): Promise<void> {
    if (this.#started) throw new ManagerError('AlreadyStarted', 'manager.start() called twice');
    this.#started = true;
    this.#finished = this.#run();
    return this.#finished;
  }

  stop(): Promise<void> {
    if (this.#stopping === undefined) {
      this.logger.info('stopping manager', { shutdownTimeoutMs: this.#shutdownTimeoutMs() });
      this.#stop.abort();
      this.#stopping = (this.#finished ?? Promise.resolve()).then(
        () => undefined,
        () => undefined,
      );
    }
    return this.#stopping;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    this.#installSignalHandlers();
    this.#untrack.push(
      installProcessFailureHandlers({
        policy: this.#options.processFailures ?? 'exit',
        logger: this.logger,
        metrics: this.metrics,
        exit: (code) => this.#exit(code),
      }),
    );
    try {
      for (const blueprint of this.#blueprints) this.#controllers.push(this.#createController(blueprint));
      await this.#startProbes();
      await this.#startWebhooks();
      // Warm every cache on every replica: a standby that takes over reconciles at once.
      for (const blueprint of this.#blueprints) {
        for (const source of [blueprint.primary, ...blueprint.sources]) {
          this.informers.informerFor(source.resource, this.#scopeOf(source));
        }
      }
      this.informers.start();
      this.#trackWatchers();
      this.logger.info('waiting for caches to sync', { controllers: this.#blueprints.map((b) => b.name) });
      this.#cachesSynced = await this.informers.waitForCacheSync(signal);
      this.#trackWatchers();
      if (!this.#cachesSynced) return;
      this.logger.info('caches synced');
      if (this.#elector === undefined) {
        await this.#runControllers(signal);
        return;
      }
      const result = await this.#elector.run(signal);
      if (result.outcome === 'lost') {
        const error = new ManagerError('LeaderElectionLost', `${result.error.message}; exiting`, {
          cause: result.error,
        });
        this.logger.error('lost leadership; exiting', {
          identity: this.identity,
          error: errorFields(result.error),
        });
        await this.#stopControllers(this.#lossDrainMs(), true);
        this.#exit(1);
        throw error;
      }
      this.logger.info('left leader election', { released: result.released, wasLeader: result.wasLeader });
    } finally {
      await this.#cleanUp();
    }
  }

  /** Runs the controllers until `signal` aborts, then stops them gracefully. */
  async #runControllers(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    this.#leading = true;
    this.logger.info('starting controllers', { identity: this.identity });
    const stopped = new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    const starting = this.#controllers.map((c) =>
      c.start().catch((err: unknown) => {
        this.logger.error('controller failed to start', { controller: c.name, error: errorFields(err) });
        return false;
      }),
    );
    await Promise.race([Promise.all(starting), stopped]);
    this.#trackWatchers();
    await stopped;
    // The leader-loss path stops controllers itself with a shorter deadline.
    if (!(signal.reason instanceof LeaderElectionLostError)) {
      await this.#stopControllers(this.#shutdownTimeoutMs());
    }
    this.#leading = false;
  }

  async #stopControllers(timeoutMs: number, abort = false): Promise<void> {
    await Promise.all(this.#controllers.map((c) => c.stop({ timeoutMs, abort })));
    this.#leading = false;
  }

  /** How long in-flight reconciles may run after the lease is lost: half the margin before it expires elsewhere. */
  #lossDrainMs(): number {
    const t = this.#timing;
    if (t === undefined) return 0;
    return Math.max(0, Math.min(this.#shutdownTimeoutMs(), (t.leaseDurationMs - t.renewDeadlineMs) / 2));
  }

  #shutdownTimeoutMs(): number {
    return this.#options.shutdownTimeoutMs ?? 30_000;
  }

  #createController(blueprint: ControllerBlueprint): Controller {
    const withScope = (source: WatchSource): WatchSource => ({ ...source, scope: this.#scopeOf(source) });
    return createController({
      name: blueprint.name,
      primary: withScope(blueprint.primary),
      sources: blueprint.sources.map(withScope),
      reconciler: blueprint.reconciler,
      informers: this.informers,
      client: this.client,
      recorder: this.eventRecorder(blueprint.name),
      logger: this.logger,
      metrics: this.metrics.controller(blueprint.name),
      queueMetrics: this.metrics.workQueue(blueprint.name),
      shutdownTimeoutMs: this.#shutdownTimeoutMs(),
      ...(blueprint.maxConcurrentReconciles !== undefined && {
        maxConcurrentReconciles: blueprint.maxConcurrentReconciles,
      }),
      ...(blueprint.reconcileTimeoutMs !== undefined && { reconcileTimeoutMs: blueprint.reconcileTimeoutMs }),
      ...(blueprint.resyncPeriodMs !== undefined
        ? { resyncPeriodMs: blueprint.resyncPeriodMs }
        : this.#options.syncPeriodMs !== undefined && { resyncPeriodMs: this.#options.syncPeriodMs }),
      ...(blueprint.rateLimiter !== undefined && { rateLimiter: blueprint.rateLimiter }),
    });
  }

  #scopeOf(source: WatchSource): InformerScope {
    if (source.scope !== undefined) return source.scope;
    const namespace = this.#options.cache?.namespace;
    return namespace !== undefined && source.resource.namespaced ? { namespace } : {};
  }

  #apiClient(resource: ResourceDescriptor): ResourceClient<KubeObject> {
    const key = `${apiVersionOf(resource)}/${resource.plural}`;
    let client = this.#apiClients.get(key);
    if (client === undefined) {
      client = createResourceClient<KubeObject>(this.#options.kubeConfig, resource, {
        fieldManager: this.#options.fieldManager ?? this.#options.name ?? 'kubeforge-manager',
      });
      this.#apiClients.set(key, client);
    }
    return client;
  }

  #createElector(): void {
    const le = this.#options.leaderElection;
    if (le !== undefined && this.#timing !== undefined && this.identity !== undefined) {
      this.#elector = createLeaderElector({
        ...this.#timing,
        identity: this.identity,
        name: `${le.namespace}/${le.leaseName}`,
        lock: createLeaseLock({
          kubeConfig: this.#options.kubeConfig,
          namespace: le.namespace,
          name: le.leaseName,
          logger: this.logger.child({ component: 'leader-election' }),
        }),
        logger: this.logger.child({ component: 'leader-election' }),
        metrics: this.metrics.leaderElection(le.leaseName),
        callbacks: {
          onStartedLeading: (leading) => {
            this.#notify('onStartedLeading', () => le.onStartedLeading?.(leading));
            return this.#runControllers(leading);
          },
          onStoppedLeading: () => this.#notify('onStoppedLeading', () => le.onStoppedLeading?.()),
          onNewLeader: (holder) => {
            this.logger.info('new leader observed', { leader: holder, identity: this.identity });
            this.#notify('onNewLeader', () => le.onNewLeader?.(holder));
          },
        },
      });
    }
  }

  /** Runs a user's leadership callback; a throw is logged, never fatal. */
  #notify(callback: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.logger.error(`leaderElection.${callback} failed`, { error: errorFields(error) });
    }
  }

  /**
   * The `/readyz` informers check: passes once the controllers' caches synced; until then it
   * names each informer not synced and why, in words safe to show (phase, the failed
   * operation and its reason code; never server messages).
   */
  #informersReady(): true {
    if (this.#cachesSynced) return true;
    const waiting: string[] = [];
    for (const { resource, scope, informer } of this.informers.informers()) {
      const health = informer.health();
      if (health.synced) continue;
      const name = `${resource.plural}.${apiVersionOf(resource)}${scope.namespace !== undefined ? ` in ${scope.namespace}` : ''}`;
      const failure = health.lastError;
      waiting.push(
        `${name} not synced: ${health.state}${failure === undefined ? '' : `, last failure ${failure.operation} ${failure.reason}`}`,
      );
    }
    throw new HealthCheckError(waiting.length > 0 ? waiting.join('; ') : 'caches not synced yet');
  }

  async #startProbes(): Promise<void> {
    const probes = this.#options.probes;
    if (probes === undefined) return;
    this.#probe = await startProbeServer({
      port: probes.port,
      ...(probes.host !== undefined && { host: probes.host }),
      registry: this.metrics.registry,
      logger: this.logger,
      healthz: { ping: () => true },
      readyz: {
        // The controllers' caches; informers started later by reads of other kinds do not count.
        informers: () => this.#informersReady(),
        ...(this.#elector !== undefined && {
          'leader-election': () => this.#elector?.leader() !== undefined,
        }),
        ...(this.#webhooks.length > 0 && {
          webhook: () => this.#webhookServer?.ready() ?? false,
        }),
      },
    });
    this.logger.info('serving probes and metrics', { url: this.#probe.url });
  }

  /** Every replica serves webhooks: the API server calls whichever one the Service picks. */
  async #startWebhooks(): Promise<void> {
    if (this.#webhooks.length === 0) return;
    const options = this.#options.webhook ?? {};
    const logger = this.logger.child({ component: 'webhook' });
    this.#webhookServer = await startWebhookServer({
      port: options.port ?? 9443,
      ...(options.host !== undefined && { host: options.host }),
      certificates:
        options.certificates ?? fileCertificates({ dir: '/tmp/k8s-webhook-server/serving-certs', logger }),
      webhooks: this.#webhooks,
      ...(options.handlerTimeoutMs !== undefined && { handlerTimeoutMs: options.handlerTimeoutMs }),
      ...(options.conversionPath !== undefined && { conversionPath: options.conversionPath }),
      shutdownTimeoutMs: this.#shutdownTimeoutMs(),
      logger,
      metrics: this.metrics,
    });
  }

  #trackWatchers(): void {
    for (const { resource, scope, informer } of this.informers.informers()) {
      const name = `${resource.plural}.${apiVersionOf(resource)}${scope.namespace !== undefined ? ` namespace=${scope.namespace}` : ''}`;
      if (this.#tracked.has(name)) continue;
      this.#tracked.add(name);
      this.#untrack.push(this.metrics.trackWatcher(name, informer));
    }
  }

  readonly #tracked = new Set<string>();

  #installSignalHandlers(): void {
    if (this.#options.handleSignals === false) return;
    const handler = (): void => {
      this.logger.info('signal received; shutting down');
      // A hard limit in case shutdown itself hangs (e.g. an unreachable API server).
      const watchdog = setTimeout(() => {
        this.logger.error('graceful shutdown did not finish in time; exiting', {});
        this.#exit(1);
      }, this.#shutdownTimeoutMs() + 10_000);
      watchdog.unref();
      void this.stop().then(() => this.#exit(0));
    };
    this.#signalHandler = handler;
    process.once('SIGTERM', handler);
    process.once('SIGINT', handler);
  }

  async #cleanUp(): Promise<void> {
    if (this.#signalHandler !== undefined) {
      process.removeListener('SIGTERM', this.#signalHandler);
      process.removeListener('SIGINT', this.#signalHandler);
    }
    await Promise.all([...this.#recorders.values()].map((r) => r.flush()));
    for (const untrack of this.#untrack.splice(0)) untrack();
    await this.informers.stop();
    await this.#webhookServer?.close();
    await this.#probe?.close();
    this.logger.info('manager stopped');
  }

  #exit(code: number): void {
    (this.#options.exit ?? ((c: number) => process.exit(c)))(code);
  }
}
