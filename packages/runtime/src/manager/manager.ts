/**
 * The manager runs an operator process: many controllers over one shared informer factory,
 * a client per controller whose reads come from the cache and writes go to the API server,
 * optional Lease-based leader election, the `/healthz` `/readyz` probes, `/metrics` on its
 * own authenticated HTTPS port, the API client's `rest_client_*` metrics, JSON logs, and
 * signal handling.
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
 * - Caches stay inside the configured scopes (`cache`): watches and reads of a kind use its
 *   scope, and a read outside it throws instead of starting a wider watch.
 * - Controllers can be added and removed while the manager runs. Each holds leases on its
 *   informers (and its client on those it read); removing it releases them, and an informer
 *   nobody holds any more stops its watch and frees its cache.
 */
import { hostname } from 'node:os';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import { apiVersionOf } from '../api/index.ts';
import { informerScopes, normalizeScope, sameScope, type NormalizedScope } from '../cache/resource-scope.ts';
import type { Informer, InformerLease, SharedInformerFactory } from '../cache/types.ts';
import { createSharedInformerFactory } from '../cache/shared-informer-factory.ts';
import { createResourceClient } from '../client/create-resource-client.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import type { CachedClient, Client } from '../controller/client.ts';
import { createCachedClient } from '../controller/client.ts';
import type { ControllerBlueprint } from '../controller/builder.ts';
import type { Controller, WatchSource } from '../controller/types.ts';
import { acquireForSource } from '../controller/types.ts';
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
import type { MetricsServer } from '../metrics/metrics-server.ts';
import { selfSignedMetricsCertificates, startMetricsServer } from '../metrics/metrics-server.ts';
import { createReviewAuthorizer } from '../metrics/review-authorizer.ts';
import { sharedTransport } from '../client/transport.ts';
import { errorFields } from '../log/logger.ts';
import { fileCertificates } from '../webhook/certs/file-source.ts';
import type { WebhookRegistration, WebhookServer } from '../webhook/server.ts';
import { startWebhookServer, WebhookRoutes } from '../webhook/server.ts';
import { createCacheScopes, type CacheScopes } from './cache-scopes.ts';
import { FieldIndexes, type FieldIndexFunc } from './field-indexes.ts';
import { installProcessFailureHandlers } from './process-failures.ts';
import type { Manager, ManagerOptions } from './types.ts';
import { ManagerError } from './types.ts';

/** A controller the manager holds, with what it holds in the cache. */
interface ManagedController {
  readonly blueprint: ControllerBlueprint;
  readonly controller: Controller;
  /** The reconciler's client, reading the controller's scopes. */
  readonly client: CachedClient;
  /** Leases that keep the controller's caches warm on every replica, leading or not. */
  readonly warm: readonly InformerLease<KubeObject>[];
}

export function createManager(options: ManagerOptions): Manager {
  return new OperatorManager(options);
}

class OperatorManager implements Manager {
  readonly client: CachedClient;
  readonly informers: SharedInformerFactory;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly identity: string | undefined;
  readonly #options: ManagerOptions;
  readonly #timing: LeaderElectionTiming | undefined;
  readonly #blueprints: ControllerBlueprint[] = [];
  readonly #controllers: ManagedController[] = [];
  readonly #scopes: CacheScopes;
  readonly #indexes = new FieldIndexes();
  readonly #recorders = new Map<string, EventRecorder>();
  readonly #apiClients = new Map<string, ResourceClient<KubeObject>>();
  readonly #stop = new AbortController();
  #elector: LeaderElector | undefined;
  #unobserveRestClient: (() => void) | undefined;
  #uninstallProcessFailureHandlers: (() => void) | undefined;
  #probe: ProbeServer | undefined;
  #metricsServer: MetricsServer | undefined;
  readonly #webhooks: WebhookRegistration[] = [];
  readonly #webhookRoutes = new WebhookRoutes();
  #webhookServer: WebhookServer | undefined;
  #started = false;
  /** Set once the controllers added so far have been created and their caches acquired. */
  #managing = false;
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
    this.#scopes = createCacheScopes(options.cache);
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
      scopesFor: (resource) => [this.#scopes.normalizedOfKind(resource)],
      indexersFor: (resource) => this.#indexes.of(resource),
      owner: 'manager.client',
      widenHint: (resource) => this.#scopes.widenHint(resource),
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

  get metricsUrl(): string | undefined {
    return this.#metricsServer?.url;
  }

  add(blueprint: ControllerBlueprint): void {
    if (this.#stopping !== undefined) {
      throw new ManagerError('Stopped', `manager.add(${blueprint.name}): the manager is stopping`);
    }
    if (this.#blueprints.some((b) => b.name === blueprint.name)) {
      throw new ManagerError(
        'DuplicateController',
        `manager.add: a controller named "${blueprint.name}" was already added; give one another name with .named(...)`,
      );
    }
    if (!this.#managing) {
      // Validates now (names, scopes), so mistakes surface at add(), not at start().
      this.#createController(blueprint, this.#clientFor(blueprint));
      this.#blueprints.push(blueprint);
      return;
    }
    const managed = this.#manage(blueprint);
    this.#blueprints.push(blueprint);
    this.#trackWatchers();
    this.logger.info('controller added to the running manager', { controller: blueprint.name });
    if (this.#leading) void this.#startController(managed);
  }

  async remove(name: string): Promise<void> {
    const index = this.#blueprints.findIndex((b) => b.name === name);
    if (index < 0) {
      throw new ManagerError(
        'UnknownController',
        `manager.remove(${JSON.stringify(name)}): no such controller; the manager holds ${
          this.#blueprints.map((b) => JSON.stringify(b.name)).join(', ') || 'none'
        }`,
      );
    }
    this.#blueprints.splice(index, 1);
    const at = this.#controllers.findIndex((m) => m.blueprint.name === name);
    if (at < 0) return;
    const [managed] = this.#controllers.splice(at, 1);
    if (managed === undefined) return;
    await this.#dispose(managed, this.#shutdownTimeoutMs());
    this.#trackWatchers();
    this.logger.info('controller removed', { controller: name });
  }

  indexField<T extends KubeObject>(
    resource: ResourceDescriptor<T>,
    name: string,
    index: (obj: T) => string | readonly string[] | undefined,
  ): void {
    const indexers = this.#indexes.declare(resource, name, index as FieldIndexFunc<KubeObject>);
    for (const entry of this.informers.informers()) {
      if (
        entry.resource.plural === resource.plural &&
        apiVersionOf(entry.resource) === apiVersionOf(resource)
      ) {
        entry.informer.addIndexers(indexers);
      }
    }
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
    this.#uninstallProcessFailureHandlers = installProcessFailureHandlers({
      policy: this.#options.processFailures ?? 'exit',
      logger: this.logger,
      metrics: this.metrics,
      exit: (code) => this.#exit(code),
    });
    try {
      this.#unobserveRestClient = sharedTransport(this.#options.kubeConfig).observe(this.metrics.restClient);
      await this.#startProbes();
      await this.#startMetricsServer();
      await this.#startWebhooks();
      // Warm every cache on every replica: a standby that takes over reconciles at once.
      // From here on, add() manages a new controller itself.
      this.#managing = true;
      for (const blueprint of [...this.#blueprints]) this.#manage(blueprint);
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
    const starting = this.#controllers.map((m) => this.#startController(m));
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
    this.#leading = false;
    await Promise.all(this.#controllers.map((m) => m.controller.stop({ timeoutMs, abort })));
  }

  #startController(managed: ManagedController): Promise<boolean> {
    return managed.controller.start().catch((err: unknown) => {
      this.logger.error('controller failed to start', {
        controller: managed.controller.name,
        error: errorFields(err),
      });
      return false;
    });
  }

  /** Creates the controller of `blueprint` and acquires its caches (they fill at once once the factory started). */
  #manage(blueprint: ControllerBlueprint): ManagedController {
    const client = this.#clientFor(blueprint);
    const controller = this.#createController(blueprint, client);
    const warm: InformerLease<KubeObject>[] = [];
    for (const source of [blueprint.primary, ...blueprint.sources]) {
      const scope = normalizeScope(
        source.resource,
        this.#scopes.ofSource(source),
        `controller ${blueprint.name}: ${source.role} ${source.resource.plural}`,
      );
      for (const informerScope of informerScopes(scope)) {
        warm.push(acquireForSource(this.informers, source, informerScope));
      }
    }
    const managed: ManagedController = { blueprint, controller, client, warm };
    this.#controllers.push(managed);
    return managed;
  }

  /** Stops a controller, then releases what it and its client held. */
  async #dispose(managed: ManagedController, timeoutMs: number): Promise<void> {
    await managed.controller.stop({ timeoutMs });
    await managed.client.release();
    await Promise.all(managed.warm.map((l) => l.release()));
  }

  /**
   * The reconciler's client: a kind the controller watches is read through the scopes of its
   * sources of that kind; any other kind through the manager's scope for it.
   */
  #clientFor(blueprint: ControllerBlueprint): CachedClient {
    const declared = new Map<string, NormalizedScope[]>();
    for (const source of [blueprint.primary, ...blueprint.sources]) {
      const key = `${source.resource.plural}.${apiVersionOf(source.resource)}`;
      const scope = normalizeScope(
        source.resource,
        this.#scopes.ofSource(source),
        `controller ${blueprint.name}: ${source.role} ${source.resource.plural}`,
      );
      const scopes = declared.get(key) ?? [];
      if (!scopes.some((s) => sameScope(s, scope))) scopes.push(scope);
      declared.set(key, scopes);
    }
    return createCachedClient({
      informers: this.informers,
      apiClient: (resource) => this.#apiClient(resource),
      scopesFor: (resource) =>
        declared.get(`${resource.plural}.${apiVersionOf(resource)}`) ?? [
          this.#scopes.normalizedOfKind(resource),
        ],
      indexersFor: (resource) => this.#indexes.of(resource),
      owner: `controller ${JSON.stringify(blueprint.name)}`,
      widenHint: (resource) => this.#scopes.widenHint(resource),
    });
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

  #createController(blueprint: ControllerBlueprint, client: Client): Controller {
    const withScope = (source: WatchSource): WatchSource => ({
      ...source,
      scope: this.#scopes.ofSource(source),
    });
    return createController({
      name: blueprint.name,
      primary: withScope(blueprint.primary),
      sources: blueprint.sources.map(withScope),
      reconciler: blueprint.reconciler,
      informers: this.informers,
      client,
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
    this.logger.info('serving probes', { url: this.#probe.url });
  }

  async #startMetricsServer(): Promise<void> {
    const options = this.#options.metricsServer;
    if (options === undefined) return;
    const logger = this.logger.child({ component: 'metrics' });
    this.#metricsServer = await startMetricsServer({
      port: options.port,
      ...(options.host !== undefined && { host: options.host }),
      registry: this.metrics.registry,
      logger,
      secure:
        options.secure === false
          ? false
          : {
              certificates: options.certificates ?? selfSignedMetricsCertificates(),
              authorizer:
                options.authorizer ?? createReviewAuthorizer({ kubeConfig: this.#options.kubeConfig }),
            },
    });
    this.logger.info('serving metrics', {
      url: this.#metricsServer.url,
      secure: options.secure !== false,
    });
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

  /** Tracks the health of informers the factory holds, and stops tracking released ones. */
  #trackWatchers(): void {
    const current = new Set(this.informers.informers().map((e) => e.informer));
    for (const [informer, { untrack }] of this.#tracked) {
      if (current.has(informer)) continue;
      untrack();
      this.#tracked.delete(informer);
    }
    const names = new Set([...this.#tracked.values()].map((t) => t.name));
    for (const { resource, scope, metadataOnly, informer } of this.informers.informers()) {
      const name = `${resource.plural}.${apiVersionOf(resource)}${scope.namespace !== undefined ? ` namespace=${scope.namespace}` : ''}${metadataOnly ? ' metadata-only' : ''}`;
      if (this.#tracked.has(informer) || names.has(name)) continue;
      names.add(name);
      this.#tracked.set(informer, { name, untrack: this.metrics.trackWatcher(name, informer) });
    }
  }

  readonly #tracked = new Map<
    Informer<KubeObject>,
    { readonly name: string; readonly untrack: () => void }
  >();

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
    for (const { untrack } of this.#tracked.values()) untrack();
    this.#tracked.clear();
    this.#unobserveRestClient?.();
    this.#unobserveRestClient = undefined;
    this.#uninstallProcessFailureHandlers?.();
    this.#uninstallProcessFailureHandlers = undefined;
    await Promise.all(this.#controllers.map((m) => m.client.release()));
    await this.client.release();
    await this.informers.stop();
    await this.#webhookServer?.close();
    await this.#probe?.close();
    await this.#metricsServer?.close();
    this.logger.info('manager stopped');
  }

  #exit(code: number): void {
    (this.#options.exit ?? ((c: number) => process.exit(c)))(code);
  }
}
