/**
 * The watcher as consumers see it: an async iterable over the list+watch state machine
 * (list-watch-machine.ts), delivering each step's events in order and never holding one that
 * was delivered.
 */
import type { KubeObject, ListerWatcher } from '../api/index.ts';
import { ListWatchMachine } from './list-watch-machine.ts';
import type { Watcher, WatcherEvent, WatcherOptions } from './types.ts';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const settled = (): undefined => undefined;

/**
 * Lists and watches one collection through `lw`, yielding a snapshot after every (re)list and
 * then each change. See {@link Watcher} and {@link WatcherEvent} for the guarantees.
 *
 * The iterator is a plain object, not an async generator: a suspended generator keeps every
 * interpreter register alive, including ones that last held a `listed` event — every object of
 * the collection as the server sent it, before the informer's transform — for as long as a
 * quiet watch waits. Here each `next()` is a fresh frame and undelivered events live only in
 * `pending`, so a delivered event is unreachable from the watcher.
 */
export function createWatcher<T extends KubeObject>(
  lw: ListerWatcher<T>,
  options: WatcherOptions<T> = {},
): Watcher<T> {
  const machine = new ListWatchMachine(lw, options);
  let iterating = false;
  return {
    health: () => machine.health(),
    [Symbol.asyncIterator](): AsyncIterator<WatcherEvent<T>> {
      if (iterating)
        throw new Error('a Watcher can be iterated only once; create another for a second consumer');
      iterating = true;
      return new WatcherIterator(machine);
    },
  };
}

class WatcherIterator<T extends KubeObject> implements AsyncIterator<WatcherEvent<T>> {
  readonly #machine: ListWatchMachine<T>;
  /** Events of the last step not yet delivered, in order. */
  #pending: WatcherEvent<T>[] = [];
  /** The call in progress: calls are served one after another, like a generator's. */
  #busy: Promise<unknown> = Promise.resolve();

  constructor(machine: ListWatchMachine<T>) {
    this.#machine = machine;
  }

  next(): Promise<IteratorResult<WatcherEvent<T>>> {
    const result = this.#busy.then(() => this.#next());
    // Never the result itself: a settled promise holds its value.
    this.#busy = result.then(settled, settled);
    return result;
  }

  async #next(): Promise<IteratorResult<WatcherEvent<T>>> {
    const machine = this.#machine;
    try {
      while (this.#pending.length === 0) {
        if (machine.state.tag === 'stopped') return DONE;
        const { state, events } = await machine.step(machine.state);
        machine.state = state;
        this.#pending = [...events];
      }
    } catch (error) {
      this.#finish();
      throw error;
    }
    const event = this.#pending.shift();
    return event === undefined ? DONE : { done: false, value: event };
  }

  /** Ends the iteration (a consumer's `break`): closes an open watch; later calls are done. */
  return(): Promise<IteratorResult<WatcherEvent<T>>> {
    const result = this.#busy.then(() => {
      this.#finish();
      return DONE;
    });
    this.#busy = result.then(settled, settled);
    return result;
  }

  #finish(): void {
    this.#machine.stop();
    this.#pending = [];
  }
}
