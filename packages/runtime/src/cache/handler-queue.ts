/**
 * Delivery of changes to one registered handler (client-go's processorListener): an
 * unbounded FIFO drained by one async loop, so a slow handler delays only itself and every
 * handler sees the changes in store order.
 *
 * Invariants: calls to one handler never overlap; a call that throws or rejects is logged and
 * counted, and the next change is delivered as usual; after `close()` no call starts.
 */
import type { KubeObject } from '../api/index.ts';
import { errorFields, type Logger } from '../log/logger.ts';
import type { StoreChange } from './store.ts';
import type { EventHandler, HandlerRegistration } from './types.ts';

/** A change, a resync of one object, or the marker after which the handler counts as synced. */
export type Notification<T> =
  StoreChange<T> | { readonly type: 'resync'; readonly object: T } | { readonly type: 'synced' };

export class HandlerQueue<T extends KubeObject> implements HandlerRegistration {
  readonly #handler: EventHandler<T>;
  readonly #name: string;
  readonly #logger: Logger;
  readonly #onError: () => void;
  readonly #onRemove: (queue: HandlerQueue<T>) => void;
  #pending: Notification<T>[] = [];
  #head = 0;
  #draining: Promise<void> | undefined;
  #synced = false;
  #closed = false;
  #errors = 0;
  #delivered = 0;

  constructor(
    handler: EventHandler<T>,
    name: string,
    logger: Logger,
    onError: () => void,
    onRemove: (queue: HandlerQueue<T>) => void,
  ) {
    this.#handler = handler;
    this.#name = name;
    this.#logger = logger;
    this.#onError = onError;
    this.#onRemove = onRemove;
  }

  get errors(): number {
    return this.#errors;
  }

  /** Calls completed (successfully or not). */
  get delivered(): number {
    return this.#delivered;
  }

  /** Notifications waiting to be delivered. */
  get backlog(): number {
    return this.#pending.length - this.#head;
  }

  get closed(): boolean {
    return this.#closed;
  }

  hasSynced(): boolean {
    return this.#synced;
  }

  push(notifications: readonly Notification<T>[]): void {
    if (this.#closed || notifications.length === 0) return;
    for (const n of notifications) this.#pending.push(n);
    this.#draining ??= this.#drain();
  }

  /** Stops delivery: nothing new starts; resolves once the call in flight (if any) settled. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#pending = [];
    this.#head = 0;
    await this.#draining;
  }

  async remove(): Promise<void> {
    this.#onRemove(this);
    await this.close();
  }

  /** Resolves once everything queued so far was delivered (for tests and graceful handoffs). */
  async idle(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
  }

  async #drain(): Promise<void> {
    // Let the pushing code finish its synchronous work first (e.g. apply a whole relist).
    await Promise.resolve();
    try {
      while (!this.#closed && this.#head < this.#pending.length) {
        const next = this.#pending[this.#head++];
        if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
          this.#pending = this.#pending.slice(this.#head);
          this.#head = 0;
        }
        if (next !== undefined) await this.#deliver(next);
      }
    } finally {
      this.#draining = undefined;
      if (!this.#closed && this.#head < this.#pending.length) this.#draining = this.#drain();
    }
  }

  async #deliver(n: Notification<T>): Promise<void> {
    if (n.type === 'synced') {
      this.#synced = true;
      return;
    }
    const h = this.#handler;
    try {
      let result: void | Promise<void>;
      switch (n.type) {
        case 'add':
          result = h.add?.(n.object, { isInInitialList: n.initial });
          break;
        case 'update':
          result = h.update?.(n.oldObject, n.object);
          break;
        case 'resync':
          result = h.update?.(n.object, n.object);
          break;
        case 'delete':
          result = h.delete?.(n.object, { finalStateUnknown: n.finalStateUnknown });
          break;
      }
      await result;
    } catch (error) {
      this.#errors++;
      this.#onError();
      const meta = 'object' in n ? n.object.metadata : undefined;
      this.#logger.error('event handler failed', {
        handler: this.#name,
        event: n.type,
        namespace: meta?.namespace,
        name: meta?.name,
        error: errorFields(error),
      });
    } finally {
      this.#delivered++;
    }
  }
}
