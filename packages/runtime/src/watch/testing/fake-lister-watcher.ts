/**
 * A scriptable {@link ListerWatcher} for unit tests of the watcher and the cache: tests decide
 * what each list returns and drive each watch stream by hand (push events, end it, fail it,
 * or let it stall). Not exported from the package.
 */
import type {
  KubeObject,
  ListerWatcher,
  ListOptions,
  ObjectList,
  WatchEvent,
  WatchOptions,
} from '../../api/index.ts';

export type ListResponder<T> = (options: ListOptions) => ObjectList<T> | Promise<ObjectList<T>>;

/** One watch opened by the code under test. */
export class FakeWatchStream<T> implements AsyncIterable<WatchEvent<T>> {
  readonly options: WatchOptions;
  readonly #queue: ({ event: WatchEvent<T> } | { end: true } | { error: unknown })[] = [];
  #waiter: (() => void) | undefined;
  #closed = false;

  constructor(options: WatchOptions) {
    this.options = options;
    options.signal?.addEventListener('abort', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  /** `true` once the consumer aborted the watch or stopped iterating. */
  get closed(): boolean {
    return this.#closed;
  }

  push(...events: WatchEvent<T>[]): void {
    for (const event of events) this.#queue.push({ event });
    this.#wake();
  }

  /** The server closes the stream normally (e.g. its timeout expired). */
  end(): void {
    this.#queue.push({ end: true });
    this.#wake();
  }

  /** The connection fails (or the server refuses the watch) with `error`. */
  fail(error: unknown): void {
    this.#queue.push({ error });
    this.#wake();
  }

  /** Bytes arrived that were no event (e.g. a keep-alive), as the client reports via `onActivity`. */
  activity(): void {
    this.options.onActivity?.();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    try {
      for (;;) {
        if (this.#closed) return;
        const item = this.#queue.shift();
        if (item === undefined) {
          await new Promise<void>((resolve) => (this.#waiter = resolve));
          continue;
        }
        if ('end' in item) return;
        if ('error' in item) throw item.error;
        this.options.onActivity?.();
        yield item.event;
      }
    } finally {
      this.#closed = true;
    }
  }
}

export class FakeListerWatcher<T extends KubeObject> implements ListerWatcher<T> {
  readonly listCalls: ListOptions[] = [];
  readonly watches: FakeWatchStream<T>[] = [];
  /** Answers list calls; replace it per test. Throwing rejects the list. */
  respond: ListResponder<T>;
  #watchWaiters: ((stream: FakeWatchStream<T>) => void)[] = [];
  #listWaiters: (() => void)[] = [];

  constructor(respond: ListResponder<T> = () => ({ metadata: { resourceVersion: '1' }, items: [] })) {
    this.respond = respond;
  }

  async list(options: ListOptions): Promise<ObjectList<T>> {
    this.listCalls.push(options);
    for (const wake of this.#listWaiters.splice(0)) wake();
    return this.respond(options);
  }

  watch(options: WatchOptions): AsyncIterable<WatchEvent<T>> {
    const stream = new FakeWatchStream<T>(options);
    this.watches.push(stream);
    for (const wake of this.#watchWaiters.splice(0)) wake(stream);
    return stream;
  }

  /** The latest watch opened. */
  get lastWatch(): FakeWatchStream<T> | undefined {
    return this.watches.at(-1);
  }

  /** Resolves with the `n`-th watch (1-based) once it is opened. */
  async watchNumber(n: number): Promise<FakeWatchStream<T>> {
    for (;;) {
      const stream = this.watches[n - 1];
      if (stream !== undefined) return stream;
      await new Promise<FakeWatchStream<T>>((resolve) => this.#watchWaiters.push(resolve));
    }
  }

  /** Resolves once `n` list calls were made. */
  async listCallNumber(n: number): Promise<ListOptions> {
    for (;;) {
      const call = this.listCalls[n - 1];
      if (call !== undefined) return call;
      await new Promise<void>((resolve) => this.#listWaiters.push(resolve));
    }
  }
}

/** A minimal object for tests. */
export function fakeObject(
  name: string,
  resourceVersion: string,
  extra: {
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    data?: Record<string, string>;
  } = {},
): KubeObject & { data?: Record<string, string> } {
  const { namespace = 'default', uid = `uid-${name}`, labels, data } = extra;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, uid, resourceVersion, ...(labels ? { labels } : {}) },
    ...(data ? { data } : {}),
  };
}

/** A list response. */
export function listOf<T>(resourceVersion: string, items: T[], continueToken?: string): ObjectList<T> {
  return { metadata: { resourceVersion, ...(continueToken ? { continue: continueToken } : {}) }, items };
}

/** Lets pending promise callbacks run (several microtask and macrotask turns). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
