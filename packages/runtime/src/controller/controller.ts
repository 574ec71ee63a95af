/**
 * The controller engine: informer events -> predicates -> mapping -> rate-limited work queue
 * -> workers -> reconciler, with client-go's guarantees:
 * - workers start only once every watched cache has synced (`WaitForCacheSync`);
 * - one object is never reconciled by two workers at once (the queue's processing set);
 * - a reconcile that throws, rejects or outlives its timeout never takes the process down
 *   (`HandleCrash`): it is logged, counted and requeued with backoff;
 * - stopping stops intake at once and lets in-flight reconciles finish within a limit, after
 *   which their signals are aborted.
 *
 * Most code builds controllers with `controllerFor(...)` and runs them in a manager; this is
 * the layer underneath, usable alone.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../api/index.ts';
import { splitObjectKey } from '../api/index.ts';
import { informerScopes, normalizeScope, type NormalizedScope } from '../cache/resource-scope.ts';
import type { HandlerRegistration, Informer, InformerLease } from '../cache/types.ts';
import { noopEventRecorder } from '../events/recorder.ts';
import type { ControllerMetrics } from '../metrics/sinks.ts';
import { noopControllerMetrics } from '../metrics/sinks.ts';
import type { Logger } from '../log/logger.ts';
import { errorFields, noopLogger } from '../log/logger.ts';
import type { Clock, TimerHandle } from '../workqueue/clock.ts';
import { realClock } from '../workqueue/clock.ts';
import { queueShutDown } from '../workqueue/queue.ts';
import { defaultControllerRateLimiter } from '../workqueue/rate-limiters.ts';
import type { RateLimitingQueue } from '../workqueue/rate-limiting-queue.ts';
import { createRateLimitingQueue } from '../workqueue/rate-limiting-queue.ts';
import { withFields } from './logging.ts';
import type { ObjectEvent } from './predicates.ts';
import type { Request, Settled } from './reconciler.ts';
import { outcomeOf, ReconcileTimeoutError, requestKey } from './reconciler.ts';
import type { Controller, ControllerOptions, ControllerStatus, StopOptions, WatchSource } from './types.ts';
import {
  ControllerError,
  ControllerStoppedError,
  DEFAULT_RESYNC_PERIOD_MS,
  acquireForSource,
  validateControllerOptions,
} from './types.ts';

export function createController(options: ControllerOptions): Controller {
  return new RunningController(options);
}

class RunningController implements Controller {
  readonly name: string;
  readonly queue: RateLimitingQueue<string>;
  readonly #options: ControllerOptions;
  readonly #logger: Logger;
  readonly #metrics: ControllerMetrics;
  readonly #clock: Clock;
  readonly #workers: number;
  readonly #registrations: HandlerRegistration[] = [];
  readonly #leases: InformerLease<KubeObject>[] = [];
  readonly #scopes: ReadonlyMap<WatchSource, NormalizedScope>;
  readonly #inFlight = new Set<AbortController>();
  readonly #abandoned = new Set<string>();
  readonly #stopSignal = new AbortController();
  readonly #primaryInformers: Informer<KubeObject>[] = [];
  #workerLoops: Promise<void>[] = [];
  #resyncTimer: TimerHandle | undefined;
  #started = false;
  #synced = false;
  #stopping: Promise<void> | undefined;
  #active = 0;

  constructor(options: ControllerOptions) {
    validateControllerOptions(options);
    this.#options = options;
    this.name = options.name;
    this.#clock = options.clock ?? realClock;
    this.#logger = withFields(options.logger ?? noopLogger, { controller: options.name });
    this.#metrics = options.metrics ?? noopControllerMetrics;
    this.#workers = options.maxConcurrentReconciles ?? 1;
    // Validated here, so a bad scope fails when the controller is created, not when it starts.
    this.#scopes = new Map(
      [options.primary, ...(options.sources ?? [])].map((source) => [
        source,
        normalizeScope(
          source.resource,
          source.scope ?? {},
          `controller ${options.name}: ${source.role} ${source.resource.plural}`,
        ),
      ]),
    );
    this.queue = createRateLimitingQueue<string>({
      name: options.name,
      clock: this.#clock,
      rateLimiter: options.rateLimiter ?? defaultControllerRateLimiter<string>({ clock: this.#clock }),
      ...(options.queueMetrics !== undefined && { metrics: options.queueMetrics }),
    });
  }

  async start(): Promise<boolean> {
    if (this.#started)
      throw new ControllerError('AlreadyStarted', `controller ${this.name}: start() called twice`);
    this.#started = true;
    if (this.#stopping !== undefined) return false;
    const sources = [this.#options.primary, ...(this.#options.sources ?? [])];
    const informers: Informer<KubeObject>[] = [];
    for (const source of sources) {
      const scope = this.#scopes.get(source) ?? normalizeScope(source.resource, {}, this.name);
      // One informer per namespace of the scope (or one over every namespace).
      for (const informerScope of informerScopes(scope)) {
        const lease = acquireForSource(this.#options.informers, source, informerScope);
        this.#leases.push(lease);
        const informer = lease.informer;
        if (source === this.#options.primary) this.#primaryInformers.push(informer);
        informers.push(informer);
        this.#registrations.push(
          informer.addEventHandler(this.#handlerFor(source), {
            name: `${this.name}/${source.role}/${source.resource.plural}${informerScope.namespace === undefined ? '' : `/${informerScope.namespace}`}`,
          }),
        );
      }
    }
    this.#options.informers.start();
    this.#logger.info('waiting for caches to sync', {
      sources: sources.map((s) => `${s.role} ${s.resource.plural}`),
    });
    const signal = this.#stopSignal.signal;
    const synced = (await Promise.all(informers.map((i) => i.waitForCacheSync(signal)))).every(Boolean);
    if (!synced || !(await this.#handlersSynced(signal))) return false;
    this.#synced = true;
    this.#metrics.setMaxConcurrentReconciles(this.#workers);
    this.#scheduleResync();
    for (let i = 0; i < this.#workers; i++) this.#workerLoops.push(this.#work());
    this.#logger.info('caches synced; workers started', { workers: this.#workers });
    return true;
  }

  stop(options: StopOptions = {}): Promise<void> {
    if (options.abort === true)
      for (const c of this.#inFlight) c.abort(new ControllerStoppedError(this.name));
    this.#stopping ??= this.#shutDown(options.timeoutMs ?? this.#options.shutdownTimeoutMs ?? 30_000);
    return this.#stopping;
  }

  status(): ControllerStatus {
    return {
      started: this.#started,
      synced: this.#synced,
      stopped: this.#stopping !== undefined,
      queueLength: this.queue.len(),
      activeReconciles: this.#active,
      abandonedReconciles: this.#abandoned.size,
    };
  }

  async #shutDown(timeoutMs: number): Promise<void> {
    this.#stopSignal.abort();
    this.#resyncTimer?.cancel();
    const deadline = new AbortController();
    const timer = this.#clock.setTimer(() => deadline.abort(), timeoutMs, { unref: true });
    await this.queue.shutDownWithDrain({ signal: deadline.signal });
    timer.cancel();
    if (this.#inFlight.size > 0) {
      this.#logger.warn('reconciles still running after the shutdown timeout; aborting their signals', {
        inFlight: this.#inFlight.size,
        timeoutMs,
      });
      for (const controller of this.#inFlight) controller.abort(new ControllerStoppedError(this.name));
    }
    await Promise.all(this.#registrations.map((r) => r.remove()));
    await Promise.all(this.#leases.splice(0).map((l) => l.release()));
    this.#logger.info('controller stopped');
  }

  async #handlersSynced(signal: AbortSignal): Promise<boolean> {
    while (!this.#registrations.every((r) => r.hasSynced())) {
      if (signal.aborted) return false;
      await new Promise<void>((resolve) => {
        const t = this.#clock.setTimer(resolve, 20);
        signal.addEventListener(
          'abort',
          () => {
            t.cancel();
            resolve();
          },
          { once: true },
        );
      });
    }
    return !signal.aborted;
  }

  #handlerFor(source: WatchSource) {
    const dispatch = (event: ObjectEvent): void => {
      if (this.queue.isShuttingDown()) return;
      try {
        if (!source.predicates.every((p) => p(event))) return;
        for (const request of source.map(event)) this.queue.add(requestKey(request));
      } catch (err) {
        this.#logger.error('predicate or mapping function threw; event dropped', {
          source: `${source.role} ${source.resource.plural}`,
          error: errorFields(err),
        });
      }
    };
    return {
      add: (object: KubeObject) => dispatch({ type: 'create', object }),
      update: (oldObject: KubeObject, newObject: KubeObject) =>
        dispatch({ type: 'update', oldObject, newObject }),
      delete: (object: KubeObject, info: { readonly finalStateUnknown: boolean }) =>
        dispatch({ type: 'delete', object, finalStateUnknown: info.finalStateUnknown }),
    };
  }

  #scheduleResync(): void {
    const period = this.#options.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS;
    if (period <= 0) return;
    const random = this.#options.random ?? Math.random;
    const delay = period * (1 + 0.1 * random());
    this.#resyncTimer = this.#clock.setTimer(
      () => {
        if (this.#stopSignal.signal.aborted) return;
        const keys = this.#primaryInformers.flatMap((i) => i.indexer.keys());
        this.#logger.debug('periodic resync', { objects: keys.length });
        for (const key of keys) this.queue.add(key);
        this.#scheduleResync();
      },
      delay,
      { unref: true },
    );
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === queueShutDown) return;
      await this.#process(key);
    }
  }

  /** Reconciles one key; never throws. */
  async #process(key: string): Promise<void> {
    const request: Request = splitObjectKey(key);
    const reconcileID = randomUUID();
    const logger = withFields(this.#logger, {
      ...(request.namespace !== undefined && { namespace: request.namespace }),
      name: request.name,
      reconcileID,
    });
    const abort = new AbortController();
    this.#inFlight.add(abort);
    this.#active++;
    this.#metrics.activeWorkers(1);
    const startedAt = this.#clock.now();
    const running: Promise<Settled> = Promise.resolve()
      .then(() =>
        this.#options.reconciler(request, {
          signal: abort.signal,
          logger,
          client: this.#options.client,
          recorder: this.#options.recorder ?? noopEventRecorder,
          reconcileID,
          controller: this.name,
        }),
      )
      .then(
        (value): Settled => ({ ok: true, value }),
        (error: unknown): Settled => ({ ok: false, error }),
      );
    const timeoutMs = this.#options.reconcileTimeoutMs;
    const timing = { timedOut: false };
    let settled: Settled;
    if (timeoutMs === undefined) {
      settled = await running;
    } else {
      let timer: TimerHandle | undefined;
      const timeout = new Promise<Settled>((resolve) => {
        timer = this.#clock.setTimer(() => {
          timing.timedOut = true;
          const error = new ReconcileTimeoutError(timeoutMs);
          abort.abort(error);
          resolve({ ok: false, error });
        }, timeoutMs);
      });
      settled = await Promise.race([running, timeout]);
      timer?.cancel();
    }
    const seconds = (this.#clock.now() - startedAt) / 1000;
    this.#active--;
    this.#metrics.activeWorkers(-1);
    const outcome = outcomeOf(settled);
    this.#metrics.reconciled(outcome.metric, seconds);
    switch (outcome.action) {
      case 'forget':
        this.queue.forget(key);
        if (outcome.metric === 'error') {
          this.#metrics.terminalError();
          logger.error('reconcile failed with a terminal error; not retrying', {
            error: errorFields(outcome.error),
          });
        } else {
          logger.debug('reconciled', { seconds });
        }
        break;
      case 'requeueAfter':
        this.queue.forget(key);
        this.queue.addAfter(key, outcome.delayMs);
        logger.debug('reconciled; requeue requested', { seconds, requeueAfterMs: outcome.delayMs });
        break;
      case 'rateLimited':
        if (timing.timedOut) this.#metrics.panic();
        if (this.queue.isShuttingDown()) {
          // Not requeued: the controller is stopping (the next leader or start picks it up).
          logger.warn('reconcile ended with an error while the controller was stopping', {
            error: errorFields(outcome.error),
          });
          break;
        }
        this.queue.addRateLimited(key);
        logger.error(
          timing.timedOut
            ? 'reconcile timed out; requeued with backoff'
            : 'reconcile failed; requeued with backoff',
          {
            error: errorFields(outcome.error),
            retries: this.queue.numRequeues(key),
          },
        );
        break;
    }
    if (!timing.timedOut) {
      this.#inFlight.delete(abort);
      this.queue.done(key);
      return;
    }
    // The reconcile ignored its signal. Keep its object locked (no second reconcile of it may
    // start) until it settles, but free the worker; give up the lock after another timeout.
    this.#abandoned.add(key);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#abandoned.delete(key);
      this.#inFlight.delete(abort);
      this.queue.done(key);
    };
    const grace = this.#clock.setTimer(
      () => {
        logger.error('reconcile still running long after its timeout; releasing its object', { timeoutMs });
        release();
      },
      timeoutMs ?? 0,
      { unref: true },
    );
    void running.then(() => {
      grace.cancel();
      release();
    });
  }
}
