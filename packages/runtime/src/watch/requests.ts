/**
 * Requests the watcher makes outside a watch stream, bounded in time and cancellable by the
 * watcher's stop signal: a list with a timeout, and a backoff sleep.
 */
import type { KubeObject, ListerWatcher, ListMeta, ListOptions } from '../api/index.ts';
import type { Clock } from '../workqueue/clock.ts';
import { classifyFailure, WatcherError, type FailureKind } from './errors.ts';

/** A page listed: its items (each passed through `prepare`) and the list's metadata. */
export type ListOutcome<T> =
  | { readonly ok: true; readonly items: readonly T[]; readonly metadata: ListMeta }
  | { readonly ok: false; readonly error: unknown; readonly kind: FailureKind };

/**
 * Lists with a deadline. The request is aborted after `timeoutMs` (a `ListTimeout` failure)
 * or when `signal` aborts; the abort is raced too, so a ListerWatcher that ignores its signal
 * cannot hang the caller. Never rejects.
 *
 * Each item goes through `prepare` as it arrives: through `listEach` when the ListerWatcher
 * offers it (the page is never held as the server sent it), else after `list` resolves.
 * A page that fails midway yields no items.
 */
export async function listWithTimeout<T extends KubeObject>(
  lw: ListerWatcher<T>,
  options: ListOptions,
  prepare: (item: T) => T,
  timeoutMs: number,
  signal: AbortSignal,
  clock: Clock,
): Promise<ListOutcome<T>> {
  const abort = new AbortController();
  const onStop = () => abort.abort(signal.reason);
  signal.addEventListener('abort', onStop, { once: true });
  const timeout = new WatcherError('ListTimeout', `the list did not complete within ${timeoutMs} ms`);
  const timer = clock.setTimer(() => abort.abort(timeout), timeoutMs);
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abort.signal.reason as Error);
    abort.signal.addEventListener('abort', onAbort, { once: true });
  });
  const items: T[] = [];
  const request = { ...options, signal: abort.signal };
  const listing: Promise<ListMeta> =
    lw.listEach === undefined
      ? lw.list(request).then((list) => {
          for (const item of list.items) items.push(prepare(item));
          return list.metadata;
        })
      : lw.listEach(request, (item) => {
          // Items arriving after a timeout or stop belong to an abandoned page.
          if (!abort.signal.aborted) items.push(prepare(item));
        });
  try {
    const metadata = await Promise.race([listing, aborted]);
    return { ok: true, items, metadata };
  } catch (error) {
    const timedOut = abort.signal.aborted && abort.signal.reason === timeout;
    return timedOut
      ? { ok: false, error: timeout, kind: { kind: 'retry', reason: timeout.reason } }
      : { ok: false, error, kind: classifyFailure(error) };
  } finally {
    timer.cancel();
    signal.removeEventListener('abort', onStop);
    // `aborted` never settles now; its race reaction holds the list. Unhook it from the
    // request's signal (which the HTTP layer may keep a while) so the list is not pinned.
    abort.signal.removeEventListener('abort', onAbort);
  }
}

/** Resolves `true` after `ms`, or `false` as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onStop = () => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock.setTimer(() => {
      signal.removeEventListener('abort', onStop);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onStop, { once: true });
  });
}
