/**
 * A work queue that can also add an item later (client-go's `DelayingInterface`). Waiting
 * items live in a min-heap keyed by their ready time; one clock timer is armed for the
 * earliest. An item waits at most once: re-adding it with an earlier ready time moves it
 * earlier, a later one is ignored.
 */
import { realClock, type Clock, type TimerHandle } from './clock.ts';
import {
  createWorkQueue,
  type QueueShutDown,
  type ShutDownWithDrainOptions,
  type WorkQueue,
  type WorkQueueOptions,
} from './queue.ts';

export interface DelayingQueue<T> extends WorkQueue<T> {
  /**
   * Adds `item` once `delayMs` has passed (immediately when `delayMs <= 0`). While the item
   * waits, a second `addAfter` keeps whichever ready time is earlier. Ignored after shutdown.
   */
  addAfter(item: T, delayMs: number): void;
  /** Number of items waiting for their delay to pass. */
  waitingLen(): number;
}

export interface DelayingQueueOptions<T> extends WorkQueueOptions {
  /** The queue items are added to when ready; by default one is created from these options. */
  readonly queue?: WorkQueue<T>;
}

interface Waiting<T> {
  readonly item: T;
  readyAt: number;
  /** Insertion order, so items ready at the same time come out first-in first-out. */
  seq: number;
  /** Position in the heap array. */
  index: number;
}

class Delaying<T> implements DelayingQueue<T> {
  readonly #queue: WorkQueue<T>;
  readonly #clock: Clock;
  readonly #options: DelayingQueueOptions<T>;
  // Invariant: #byItem maps exactly the items in #heap to their entries, and every entry's
  // `index` is its position in #heap.
  readonly #heap: Waiting<T>[] = [];
  readonly #byItem = new Map<T, Waiting<T>>();
  #seq = 0;
  #timer: TimerHandle | undefined;
  #timerAt = Infinity;

  constructor(queue: WorkQueue<T>, options: DelayingQueueOptions<T>) {
    this.#queue = queue;
    this.#clock = options.clock ?? realClock;
    this.#options = options;
  }

  add(item: T): void {
    this.#queue.add(item);
  }
  get(): Promise<T | QueueShutDown> {
    return this.#queue.get();
  }
  done(item: T): void {
    this.#queue.done(item);
  }
  len(): number {
    return this.#queue.len();
  }
  isShuttingDown(): boolean {
    return this.#queue.isShuttingDown();
  }
  shutDown(): void {
    this.#stopWaiting();
    this.#queue.shutDown();
  }
  shutDownWithDrain(options?: ShutDownWithDrainOptions): Promise<void> {
    this.#stopWaiting();
    return this.#queue.shutDownWithDrain(options);
  }

  waitingLen(): number {
    return this.#heap.length;
  }

  addAfter(item: T, delayMs: number): void {
    if (this.#queue.isShuttingDown()) return;
    this.#options.metrics?.retry();
    if (!(delayMs > 0)) {
      this.#queue.add(item);
      return;
    }
    const readyAt = this.#clock.now() + delayMs;
    const existing = this.#byItem.get(item);
    if (existing !== undefined) {
      if (readyAt >= existing.readyAt) return;
      existing.readyAt = readyAt;
      existing.seq = this.#seq++;
      this.#siftUp(existing.index);
    } else {
      const entry: Waiting<T> = { item, readyAt, seq: this.#seq++, index: this.#heap.length };
      this.#heap.push(entry);
      this.#byItem.set(item, entry);
      this.#siftUp(entry.index);
    }
    this.#arm();
  }

  /** Adds every item whose time has come, then arms the timer for the next one. */
  #release(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = this.#clock.now();
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.readyAt > now) break;
      this.#pop();
      this.#queue.add(top.item);
    }
    this.#arm();
  }

  #arm(): void {
    const top = this.#heap[0];
    if (top === undefined || top.readyAt >= this.#timerAt) return;
    this.#timer?.cancel();
    this.#timerAt = top.readyAt;
    this.#timer = this.#clock.setTimer(() => this.#release(), top.readyAt - this.#clock.now());
  }

  #stopWaiting(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#heap.length = 0;
    this.#byItem.clear();
  }

  #pop(): void {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return;
    this.#byItem.delete(top.item);
    if (last !== top) {
      heap[0] = last;
      last.index = 0;
      this.#siftDown(0);
    }
  }

  #less(a: Waiting<T>, b: Waiting<T>): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  #siftUp(index: number): void {
    const heap = this.#heap;
    const entry = heap[index];
    if (entry === undefined) return;
    let i = index;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent === undefined || !this.#less(entry, parent)) break;
      heap[i] = parent;
      parent.index = i;
      i = parentIndex;
    }
    heap[i] = entry;
    entry.index = i;
  }

  #siftDown(index: number): void {
    const heap = this.#heap;
    const entry = heap[index];
    if (entry === undefined) return;
    let i = index;
    for (;;) {
      const leftIndex = 2 * i + 1;
      const left = heap[leftIndex];
      if (left === undefined) break;
      const right = heap[leftIndex + 1];
      const [childIndex, child] =
        right !== undefined && this.#less(right, left) ? [leftIndex + 1, right] : [leftIndex, left];
      if (!this.#less(child, entry)) break;
      heap[i] = child;
      child.index = i;
      i = childIndex;
    }
    heap[i] = entry;
    entry.index = i;
  }
}

export function createDelayingQueue<T>(options: DelayingQueueOptions<T> = {}): DelayingQueue<T> {
  const queue = options.queue ?? createWorkQueue<T>(options);
  return new Delaying<T>(queue, options);
}
