/**
 * One open watch stream and the idle timer that decides it has stalled. Bytes reported by the
 * ListerWatcher's `onActivity` and every event count as liveness; time the consumer spends
 * between events does not count as idle.
 */
import type { KubeObject, ListerWatcher, WatchEvent, WatchOptions } from '../api/index.ts';
import type { Clock, TimerHandle } from '../workqueue/clock.ts';

export interface Connection<T> {
  readonly iterator: AsyncIterator<WatchEvent<T>>;
  readonly abort: AbortController;
  readonly openedAt: number;
  /** Events received on this connection. */
  events: number;
  lastActivityAt: number;
  /** The server answered (headers or bytes arrived): the watch is established, not connecting. */
  opened: boolean;
}

/** What waiting for the next event ended with. */
export type Wait<T> =
  | { readonly kind: 'result'; readonly result: IteratorResult<WatchEvent<T>> }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'stalled' }
  | { readonly kind: 'stopped' };

/** Opens a watch; throws what `lw.watch` throws synchronously. */
export function openConnection<T extends KubeObject>(
  lw: ListerWatcher<T>,
  options: Omit<WatchOptions, 'signal' | 'onActivity'>,
  clock: Clock,
): Connection<T> {
  const abort = new AbortController();
  const now = clock.now();
  const liveness = { events: 0, lastActivityAt: now, opened: false };
  const stream = lw.watch({
    ...options,
    signal: abort.signal,
    onActivity: () => {
      liveness.opened = true;
      liveness.lastActivityAt = clock.now();
    },
  });
  return Object.assign(liveness, { iterator: stream[Symbol.asyncIterator](), abort, openedAt: now });
}

/** Waits for the next event, `idleTimeoutMs` without activity, or `signal`, whichever comes first. */
export function nextEvent<T>(
  connection: Connection<T>,
  idleTimeoutMs: number,
  signal: AbortSignal,
  clock: Clock,
): Promise<Wait<T>> {
  return new Promise<Wait<T>>((resolve) => {
    let settled = false;
    let timer: TimerHandle | undefined;
    const finish = (wait: Wait<T>) => {
      if (settled) return;
      settled = true;
      timer?.cancel();
      signal.removeEventListener('abort', onStop);
      resolve(wait);
    };
    const onStop = () => finish({ kind: 'stopped' });
    const waitStart = clock.now();
    const arm = (delayMs: number) => {
      timer = clock.setTimer(() => {
        const idle = clock.now() - Math.max(connection.lastActivityAt, waitStart);
        if (idle >= idleTimeoutMs) finish({ kind: 'stalled' });
        else arm(idleTimeoutMs - idle);
      }, delayMs);
    };
    if (signal.aborted) {
      finish({ kind: 'stopped' });
      return;
    }
    signal.addEventListener('abort', onStop, { once: true });
    arm(idleTimeoutMs);
    // Raced, not awaited alone: a stream that ignores its abort signal cannot hang the watcher.
    connection.iterator.next().then(
      (result) => finish({ kind: 'result', result }),
      (error: unknown) => finish({ kind: 'failed', error }),
    );
  });
}

/** Aborts the request and releases the iterator, without waiting for either. */
export function closeConnection(connection: Connection<unknown>): void {
  connection.abort.abort(closedReason());
  try {
    connection.iterator.return?.().catch(() => undefined);
  } catch {
    // The iterator is unusable either way.
  }
}

/**
 * The abort reason of a closed connection, its stack already formatted. An error's stack is
 * formatted lazily, and until then V8 keeps every frame's receiver alive: the watcher and,
 * through its `prepare`, the informer and its whole cache. The HTTP client may keep an aborted
 * request (with its reason) on a pooled connection until the next request, so a removed
 * informer's cache would stay reachable until then.
 */
function closedReason(): DOMException {
  const reason = new DOMException('the watch connection was closed', 'AbortError');
  Reflect.get(reason, 'stack'); // reading the stack formats it, which releases the frames
  return reason;
}
