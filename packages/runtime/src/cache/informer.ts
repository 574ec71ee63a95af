/**
 * The informer: watcher -> store -> handlers (kube-runtime's reflector plus client-go's
 * processor). Each watcher event is applied to the store synchronously, and the resulting
 * changes are queued to every handler, so listers always read the newest state while each
 * handler receives changes in order at its own pace.
 *
 * Guarantees: after a relist, objects that vanished while disconnected are reported as
 * deletes with their last known state (also when the handler had not yet been given their
 * add: it then sees add, delete). A throwing handler, transform or index function is logged
 * and counted and never stops the informer. Objects are shared and read-only (see types.ts).
 */
import type { KubeObject, ListerWatcher } from '../api/index.ts';
import { createWatcher } from '../watch/watcher.ts';
import { defaultLogger, errorFields, type Logger } from '../log/logger.ts';
import type { Watcher, WatcherEvent, WatcherHealth } from '../watch/types.ts';
import { realClock, type Clock, type TimerHandle } from '../workqueue/clock.ts';
import { HandlerQueue, type Notification } from './handler-queue.ts';
import { toSelector } from './label-selector-parser.ts';
import { createLister } from './lister.ts';
import { compactObject } from './compact.ts';
import { applyTransform, deepFreeze, freezeByDefault } from './prepare.ts';
import { CacheStore, type StoreChange } from './store.ts';
import type {
  EventHandler,
  HandlerOptions,
  HandlerRegistration,
  Indexer,
  Indexers,
  Informer,
  InformerHealth,
  InformerOptions,
  Lister,
} from './types.ts';

/** A ListerWatcher that can be narrowed to one namespace (the API client's `inNamespace`). */
export type ScopableListerWatcher<T extends KubeObject> = ListerWatcher<T> & {
  inNamespace?(namespace: string): ListerWatcher<T>;
};

class InformerImpl<T extends KubeObject> implements Informer<T> {
  readonly #store: CacheStore<T>;
  readonly lister: Lister<T>;
  readonly #watcher: Watcher<T>;
  readonly #stop = new AbortController();
  readonly #options: InformerOptions<T>;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #name: string;
  readonly #freeze: boolean;
  readonly #queues = new Set<HandlerQueue<T>>();
  readonly #resyncTimers = new Map<HandlerQueue<T>, TimerHandle>();
  readonly #syncWaiters = new Set<(synced: boolean) => void>();
  #synced = false;
  #started = false;
  #stopped = false;
  #loop: Promise<void> | undefined;
  #handlerErrors = 0;
  #handlerCount = 0;

  constructor(lw: ScopableListerWatcher<T>, options: InformerOptions<T>) {
    this.#options = options;
    this.#logger = options.logger ?? defaultLogger;
    this.#clock = options.watcher?.clock ?? realClock;
    this.#freeze = options.freeze ?? freezeByDefault();
    const selector = toSelector(options.labelSelector);
    if (selector.matchesNothing) {
      throw new Error('an informer cannot watch with the match-nothing selector; omit the informer instead');
    }
    const labelSelector = selector.toString();
    this.#name =
      options.watcher?.name ??
      [
        'informer',
        options.namespace && `namespace=${options.namespace}`,
        labelSelector && `labels=${labelSelector}`,
      ]
        .filter(Boolean)
        .join(' ');
    this.#store = new CacheStore<T>(options.indexers, (index, obj, error) => {
      this.#logger.error('index function failed; object left out of the index', {
        informer: this.#name,
        index,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        error: errorFields(error),
      });
    });
    this.lister = createLister(this.#store);
    this.#watcher = createWatcher(scope(lw, options.namespace), {
      ...options.watcher,
      prepare: (object) => this.#prepare(object),
      // Compaction drops managedFields; a transform sees objects as the server sent them.
      omitManagedFields: options.keepManagedFields !== true && options.transform === undefined,
      name: this.#name,
      logger: this.#logger,
      signal: this.#stop.signal,
      ...(labelSelector === '' ? {} : { labelSelector }),
      ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
    });
  }

  get indexer(): Indexer<T> {
    return this.#store;
  }

  get started(): boolean {
    return this.#started;
  }

  addIndexers(indexers: Indexers<T>): void {
    this.#store.addIndexers(indexers);
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (this.#stopped || signal?.aborted === true) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (synced: boolean) => {
        this.#syncWaiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve(synced);
      };
      const onAbort = () => done(false);
      this.#syncWaiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  health(): InformerHealth {
    const watcher: WatcherHealth = this.#watcher.health();
    return {
      ...watcher,
      state: this.#started ? watcher.state : 'stopped',
      healthy: this.#started && watcher.healthy,
      synced: this.#synced,
      handlerErrors: this.#handlerErrors,
    };
  }

  addEventHandler(handler: EventHandler<T>, options: HandlerOptions = {}): HandlerRegistration {
    const name = options.name ?? `${this.#name} handler ${++this.#handlerCount}`;
    const queue = new HandlerQueue<T>(
      handler,
      name,
      this.#logger,
      () => this.#handlerErrors++,
      (q) => this.#removeQueue(q),
    );
    if (this.#stopped) {
      this.#logger.warn('handler added to a stopped informer; it will never be called', {
        informer: this.#name,
        handler: name,
      });
      void queue.close();
      return queue;
    }
    this.#queues.add(queue);
    if (this.#synced) {
      // A late handler first gets the current contents, as if they were the initial list.
      const adds = this.#store
        .list()
        .map((object): Notification<T> => ({ type: 'add', object, initial: true }));
      queue.push([...adds, { type: 'synced' }]);
    }
    const period = options.resyncPeriodMs ?? this.#options.resyncPeriodMs;
    if (period !== undefined && period > 0) this.#scheduleResync(queue, period);
    return queue;
  }

  start(): void {
    if (this.#stopped) {
      throw new Error(`${this.#name}: an informer cannot be restarted after stop(); create a new one`);
    }
    if (this.#started) return;
    this.#started = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    if (this.#stopped) {
      await this.#loop;
      return;
    }
    this.#stopped = true;
    this.#stop.abort();
    for (const timer of this.#resyncTimers.values()) timer.cancel();
    this.#resyncTimers.clear();
    for (const resolve of [...this.#syncWaiters]) resolve(false);
    await this.#loop;
    const queues = [...this.#queues];
    this.#queues.clear();
    const closed = Promise.all(queues.map((q) => q.close())).then(() => true);
    const timeoutMs = this.#options.stopTimeoutMs ?? 10_000;
    let timer: TimerHandle | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = this.#clock.setTimer(() => resolve(false), timeoutMs, { unref: true });
    });
    const settled = await Promise.race([closed, timedOut]);
    timer?.cancel();
    if (!settled) {
      this.#logger.warn('informer stopped while handler calls were still running', {
        informer: this.#name,
        stopTimeoutMs: timeoutMs,
      });
    }
  }

  async #run(): Promise<void> {
    try {
      // Each event is handled inside the `then` callback, never in this frame: a suspended
      // async frame keeps its registers alive, and one holding the last `listed` event would
      // pin every object as the server sent it (before the transform) while a quiet watch waits.
      const events = this.#watcher[Symbol.asyncIterator]();
      const handle = (next: IteratorResult<WatcherEvent<T>>): boolean => {
        if (next.done === true) return true;
        this.#handleSafely(next.value);
        return false;
      };
      while (!(await events.next().then(handle)));
    } catch (error) {
      this.#logger.error('informer watch loop ended unexpectedly', {
        informer: this.#name,
        error: errorFields(error),
      });
    }
  }

  #handleSafely(event: WatcherEvent<T>): void {
    try {
      this.#handle(event);
    } catch (error) {
      // Only a bug can land here (transform, index and handler failures are contained).
      this.#logger.error('informer failed to apply an event; continuing', {
        informer: this.#name,
        event: event.type,
        error: errorFields(error),
      });
    }
  }

  #handle(event: WatcherEvent<T>): void {
    switch (event.type) {
      case 'listed': {
        const initial = !this.#synced;
        // Objects arrive prepared (transformed, compacted, frozen): the watcher applies
        // #prepare as each one arrives, so it never holds a collection as the server sent it.
        const objects = event.objects;
        this.#distribute(this.#store.replace(objects, initial));
        if (initial) {
          this.#synced = true;
          for (const q of this.#queues) q.push([{ type: 'synced' }]);
          for (const resolve of [...this.#syncWaiters]) resolve(true);
          this.#logger.info('informer synced', { informer: this.#name, objects: objects.length });
        }
        return;
      }
      case 'added':
      case 'modified':
      case 'deleted':
        this.#distribute(this.#store.apply(event.type, event.object));
        return;
      case 'bookmark':
        return;
    }
  }

  #prepare(obj: T): T {
    let result = obj;
    const transform = this.#options.transform;
    if (transform !== undefined) {
      try {
        result = applyTransform(obj, transform);
      } catch (error) {
        this.#logger.error('transform failed; caching the object untransformed', {
          informer: this.#name,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
          error: errorFields(error),
        });
      }
    }
    result = compactObject(result, { keepManagedFields: this.#options.keepManagedFields === true });
    return this.#freeze ? deepFreeze(result) : result;
  }

  #distribute(changes: readonly StoreChange<T>[]): void {
    if (changes.length === 0) return;
    for (const q of this.#queues) q.push(changes);
  }

  #scheduleResync(queue: HandlerQueue<T>, periodMs: number): void {
    const tick = () => {
      if (this.#stopped || queue.closed) return;
      // Skip a round while the handler is still working through the previous one.
      if (this.#synced && queue.hasSynced() && queue.backlog === 0) {
        queue.push(this.#store.list().map((object): Notification<T> => ({ type: 'resync', object })));
      }
      this.#resyncTimers.set(queue, this.#clock.setTimer(tick, periodMs, { unref: true }));
    };
    this.#resyncTimers.set(queue, this.#clock.setTimer(tick, periodMs, { unref: true }));
  }

  #removeQueue(queue: HandlerQueue<T>): void {
    this.#queues.delete(queue);
    this.#resyncTimers.get(queue)?.cancel();
    this.#resyncTimers.delete(queue);
  }
}

function scope<T extends KubeObject>(
  lw: ScopableListerWatcher<T>,
  namespace: string | undefined,
): ListerWatcher<T> {
  if (namespace === undefined || namespace === '') return lw;
  if (typeof lw.inNamespace !== 'function') {
    throw new TypeError(
      `informer option namespace=${JSON.stringify(namespace)} needs a ListerWatcher with inNamespace() (such as a ResourceClient), or pass one already scoped to the namespace and omit the option`,
    );
  }
  return lw.inNamespace(namespace);
}

/**
 * Creates an informer over `lw` (typically a `ResourceClient`). Call `start()`; read through
 * `lister`; register handlers with `addEventHandler`. Prefer a shared informer factory so one
 * watch serves every consumer of the same resource and scope.
 */
export function createInformer<T extends KubeObject>(
  lw: ScopableListerWatcher<T>,
  options: InformerOptions<T> = {},
): Informer<T> {
  return new InformerImpl(lw, options);
}

/** Resolves `true` once every informer synced, `false` if `signal` aborts or one stops first. */
export async function waitForCacheSync(
  signal: AbortSignal | undefined,
  ...informers: readonly Pick<Informer<KubeObject>, 'waitForCacheSync'>[]
): Promise<boolean> {
  const results = await Promise.all(informers.map((i) => i.waitForCacheSync(signal)));
  return results.every(Boolean);
}
