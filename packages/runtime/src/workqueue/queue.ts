/**
 * The basic work queue: a fair FIFO of keys that guarantees a key is never handed to two
 * workers at once and that adds are deduplicated — the semantics of client-go's
 * `workqueue.Interface`.
 *
 * Items are compared with SameValueZero (like `Set`): use strings or other primitives
 * (e.g. `namespace/name` keys), or objects whose identity is the key.
 */
import { realClock, type Clock, type TimerHandle } from './clock.ts';
import type { WorkQueueMetrics } from './metrics.ts';
import { RingBuffer } from './ring-buffer.ts';

/** What {@link WorkQueue.get} resolves to once the queue is shut down and empty. */
export const queueShutDown: unique symbol = Symbol('kubeforge.workqueue.shutDown');
export type QueueShutDown = typeof queueShutDown;

export interface ShutDownWithDrainOptions {
  /** Stop waiting for in-flight items when aborted (the queue stays shut down). */
  readonly signal?: AbortSignal;
}

export interface WorkQueue<T> {
  /**
   * Marks `item` as needing processing. A no-op when the item is already waiting, or after
   * shutdown. If a worker is processing the item, it is queued again once `done` is called.
   */
  add(item: T): void;
  /**
   * Hands the next item to the caller, who must call `done(item)` when finished with it.
   * Resolves when an item is available; resolves to {@link queueShutDown} once the queue is
   * shut down and has no waiting items left. Waiting callers are served first come, first
   * served.
   */
  get(): Promise<T | QueueShutDown>;
  /** Marks `item` as no longer in flight; re-queues it if it was added meanwhile. */
  done(item: T): void;
  /** Number of items waiting for a worker (not counting in-flight ones). */
  len(): number;
  /**
   * Stops accepting new items. Waiting items are still handed out; `get` then resolves to
   * {@link queueShutDown}.
   */
  shutDown(): void;
  /**
   * Shuts down, then resolves once every in-flight item is `done`. Workers must keep
   * calling `done`, or this waits forever (pass a `signal` to bound it).
   */
  shutDownWithDrain(options?: ShutDownWithDrainOptions): Promise<void>;
  isShuttingDown(): boolean;
}

export interface WorkQueueOptions {
  /** Names the queue in metrics and logs. */
  readonly name?: string;
  readonly clock?: Clock;
  /** Where measurements go; without it the queue keeps no per-item timestamps. */
  readonly metrics?: WorkQueueMetrics;
  /** How often unfinished work is sampled for metrics (default 500 ms, like client-go). */
  readonly unfinishedWorkUpdatePeriodMs?: number;
}

const resolvedShutDown: Promise<QueueShutDown> = Promise.resolve(queueShutDown);

type Waiter<T> = (item: T | QueueShutDown) => void;

class Queue<T> implements WorkQueue<T> {
  // Invariants:
  // - every item in #queue is in #dirty and not in #processing;
  // - an item in both #dirty and #processing is queued again when `done` is called;
  // - #waiters is non-empty only while #queue is empty and the queue is not shut down.
  readonly #queue = new RingBuffer<T>();
  readonly #dirty = new Set<T>();
  readonly #processing = new Set<T>();
  readonly #waiters = new RingBuffer<Waiter<T>>();
  #shuttingDown = false;
  #drained: (() => void)[] = [];

  readonly #clock: Clock;
  readonly #metrics: WorkQueueMetrics | undefined;
  // Kept only when #metrics is set.
  readonly #addedAt = new Map<T, number>();
  readonly #startedAt = new Map<T, number>();
  #sampler: TimerHandle | undefined;
  readonly #samplePeriodMs: number;

  constructor(options: WorkQueueOptions) {
    this.#clock = options.clock ?? realClock;
    this.#metrics = options.metrics;
    this.#samplePeriodMs = options.unfinishedWorkUpdatePeriodMs ?? 500;
    if (this.#metrics !== undefined) this.#scheduleSample();
  }

  add(item: T): void {
    if (this.#shuttingDown || this.#dirty.has(item)) return;
    this.#dirty.add(item);
    const metrics = this.#metrics;
    if (metrics !== undefined) {
      metrics.add();
      this.#addedAt.set(item, this.#clock.now());
    }
    if (this.#processing.has(item)) return;
    this.#enqueue(item);
  }

  get(): Promise<T | QueueShutDown> {
    if (this.#queue.length > 0) return Promise.resolve(this.#take(this.#queue.shift()));
    if (this.#shuttingDown) return resolvedShutDown;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  done(item: T): void {
    if (!this.#processing.delete(item)) return;
    const metrics = this.#metrics;
    if (metrics !== undefined) {
      const started = this.#startedAt.get(item);
      if (started !== undefined) {
        this.#startedAt.delete(item);
        metrics.workDuration((this.#clock.now() - started) / 1000);
      }
    }
    if (this.#dirty.has(item)) {
      this.#enqueue(item);
    } else if (this.#processing.size === 0 && this.#drained.length > 0) {
      for (const resolve of this.#drained.splice(0)) resolve();
    }
  }

  len(): number {
    return this.#queue.length;
  }

  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    this.#sampler?.cancel();
    this.#sampler = undefined;
    // Waiters exist only while the queue is empty, so they all get the marker.
    while (this.#waiters.length > 0) this.#waiters.shift()(queueShutDown);
  }

  shutDownWithDrain(options: ShutDownWithDrainOptions = {}): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    const { signal } = options;
    if (signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        signal?.removeEventListener('abort', finish);
        const i = this.#drained.indexOf(finish);
        if (i >= 0) this.#drained.splice(i, 1);
        resolve();
      };
      this.#drained.push(finish);
      signal?.addEventListener('abort', finish, { once: true });
    });
  }

  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Queues an item that is dirty and not processing, or hands it to a waiting worker. */
  #enqueue(item: T): void {
    if (this.#waiters.length > 0) {
      this.#waiters.shift()(this.#take(item));
      return;
    }
    this.#queue.push(item);
    this.#metrics?.depth(this.#queue.length);
  }

  /** Moves an item just removed from the queue (or never queued) to processing. */
  #take(item: T): T {
    this.#processing.add(item);
    this.#dirty.delete(item);
    const metrics = this.#metrics;
    if (metrics !== undefined) {
      const now = this.#clock.now();
      metrics.depth(this.#queue.length);
      const added = this.#addedAt.get(item);
      if (added !== undefined) {
        this.#addedAt.delete(item);
        metrics.queueDuration((now - added) / 1000);
      }
      this.#startedAt.set(item, now);
    }
    return item;
  }

  #scheduleSample(): void {
    this.#sampler = this.#clock.setTimer(
      () => {
        this.#sampleUnfinishedWork();
        if (!this.#shuttingDown) this.#scheduleSample();
      },
      this.#samplePeriodMs,
      { unref: true },
    );
  }

  #sampleUnfinishedWork(): void {
    const now = this.#clock.now();
    let total = 0;
    let longest = 0;
    for (const started of this.#startedAt.values()) {
      const age = now - started;
      total += age;
      if (age > longest) longest = age;
    }
    this.#metrics?.unfinishedWork(total / 1000, longest / 1000);
  }
}

export function createWorkQueue<T>(options: WorkQueueOptions = {}): WorkQueue<T> {
  return new Queue<T>(options);
}
