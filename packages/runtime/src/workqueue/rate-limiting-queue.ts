/**
 * A delaying queue that asks a {@link RateLimiter} how long to wait before a retry
 * (client-go's `RateLimitingInterface`). The controller pattern:
 *
 * ```ts
 * const key = await queue.get();
 * if (key === queueShutDown) return;
 * try { await reconcile(key); queue.forget(key); }
 * catch { queue.addRateLimited(key); }
 * finally { queue.done(key); }
 * ```
 */
import { createDelayingQueue, type DelayingQueue, type DelayingQueueOptions } from './delaying-queue.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.ts';
import type { QueueShutDown, ShutDownWithDrainOptions } from './queue.ts';

export interface RateLimitingQueue<T> extends DelayingQueue<T> {
  /** Adds `item` after the delay the rate limiter assigns (counting one more failure). */
  addRateLimited(item: T): void;
  /**
   * Ends `item`'s backoff (call after success). It does not remove the item from the queue;
   * `done` still has to be called.
   */
  forget(item: T): void;
  /** How many times `item` has been rate limited since it was last forgotten. */
  numRequeues(item: T): number;
}

export interface RateLimitingQueueOptions<T> extends DelayingQueueOptions<T> {
  /** Default: {@link defaultControllerRateLimiter} on the same clock. */
  readonly rateLimiter?: RateLimiter<T>;
  /** The delaying queue to add to; by default one is created from these options. */
  readonly delayingQueue?: DelayingQueue<T>;
}

class RateLimiting<T> implements RateLimitingQueue<T> {
  readonly #queue: DelayingQueue<T>;
  readonly #limiter: RateLimiter<T>;

  constructor(queue: DelayingQueue<T>, limiter: RateLimiter<T>) {
    this.#queue = queue;
    this.#limiter = limiter;
  }

  addRateLimited(item: T): void {
    this.#queue.addAfter(item, this.#limiter.when(item));
  }
  forget(item: T): void {
    this.#limiter.forget(item);
  }
  numRequeues(item: T): number {
    return this.#limiter.numRequeues(item);
  }

  addAfter(item: T, delayMs: number): void {
    this.#queue.addAfter(item, delayMs);
  }
  waitingLen(): number {
    return this.#queue.waitingLen();
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
  shutDown(): void {
    this.#queue.shutDown();
  }
  shutDownWithDrain(options?: ShutDownWithDrainOptions): Promise<void> {
    return this.#queue.shutDownWithDrain(options);
  }
  isShuttingDown(): boolean {
    return this.#queue.isShuttingDown();
  }
}

export function createRateLimitingQueue<T>(options: RateLimitingQueueOptions<T> = {}): RateLimitingQueue<T> {
  const limiter =
    options.rateLimiter ??
    defaultControllerRateLimiter<T>(options.clock === undefined ? {} : { clock: options.clock });
  return new RateLimiting<T>(options.delayingQueue ?? createDelayingQueue<T>(options), limiter);
}
