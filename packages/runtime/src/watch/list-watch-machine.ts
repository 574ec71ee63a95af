/**
 * The list+watch protocol (client-go's reflector, kube-runtime's watcher) as a tagged state
 * machine moved by one `step` function:
 *
 *   listing ──listed──▶ connecting ──opened──▶ watching ──event──▶ watching
 *      ▲                    ▲   ▲                  │ stream ended / stalled: reconnect at last RV
 *      │                    │   └──────────────────┤ failure: waiting (backoff) then reconnect
 *      └── 410 Gone: relist NotOlderThan last RV, then consistent ──────┘
 *
 * With `watchList`, `streaming` takes the place of `listing`: one watch streams the initial
 * state until the end bookmark (then `listed`) and goes on as `watching` on the same
 * connection; a server that refuses it is listed instead from then on (see watch-list.ts).
 *
 * Invariants: the watch resumes from the list's `metadata.resourceVersion` (never an item's)
 * and afterwards from the last event's or bookmark's; resourceVersions are only copied, never
 * compared. A failure never ends the iteration: it is logged, counted in {@link WatcherHealth}
 * and retried (with backoff unless the protocol says to relist at once).
 */
import {
  assertNever,
  type KubeObject,
  type ListerWatcher,
  type ListOptions,
  type Status,
} from '../api/index.ts';
import { realClock, type Clock } from '../workqueue/clock.ts';
import { createBackoff, type Backoff } from './backoff.ts';
import { closeConnection as close, nextEvent, openConnection, type Connection } from './connection.ts';
import { classifyFailure, classifyStatus, WatcherError, type FailureKind } from './errors.ts';
import { listWithTimeout, sleep } from './requests.ts';
import { InitialEvents, isWatchListRefused, watchListRequest } from './watch-list.ts';
import { defaultLogger, errorFields, type Logger } from '../log/logger.ts';
import type { WatcherEvent, WatcherFailure, WatcherHealth, WatcherOptions, WatcherPhase } from './types.ts';

/** How a list is asked for: from the watch cache (initial), not older than a version (after 410), or consistent. */
type ListMode =
  | { readonly kind: 'any' }
  | { readonly kind: 'not-older-than'; readonly resourceVersion: string }
  | { readonly kind: 'consistent' };

type State<T extends KubeObject> =
  | {
      readonly tag: 'listing';
      readonly mode: ListMode;
      readonly items: T[];
      readonly continueToken: string | undefined;
    }
  | {
      readonly tag: 'streaming';
      /** Initial state not older than this; undefined: the latest (a consistent read). */
      readonly resourceVersion: string | undefined;
      readonly initial: InitialEvents<T>;
      readonly connection: Connection<T> | undefined;
    }
  | { readonly tag: 'connecting'; readonly resourceVersion: string }
  | { readonly tag: 'watching'; readonly resourceVersion: string; readonly connection: Connection<T> }
  | { readonly tag: 'waiting'; readonly delayMs: number; readonly then: State<T> }
  | { readonly tag: 'stopped' };

interface Step<T extends KubeObject> {
  readonly state: State<T>;
  readonly events: readonly WatcherEvent<T>[];
}

const STOPPED = { tag: 'stopped' } as const;
/** A watch that ends this soon after opening without delivering anything counts as a failure (client-go does the same). */
const SHORT_WATCH_MS = 1000;

function listing<T extends KubeObject>(mode: ListMode): State<T> {
  return { tag: 'listing', mode, items: [], continueToken: undefined };
}

function phaseOf<T extends KubeObject>(state: State<T>): WatcherPhase {
  switch (state.tag) {
    case 'listing':
    case 'streaming':
      return 'listing';
    case 'connecting':
      return 'connecting';
    case 'watching':
      return state.connection.opened || state.connection.events > 0 ? 'watching' : 'connecting';
    case 'waiting':
      return 'backoff';
    case 'stopped':
      return 'stopped';
    default:
      return assertNever(state, 'watcher state');
  }
}

/** The state machine behind {@link createWatcher}; `step` moves it one request or event. */
export class ListWatchMachine<T extends KubeObject> {
  readonly #lw: ListerWatcher<T>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #random: () => number;
  readonly #backoff: Backoff;
  readonly #signal: AbortSignal;
  readonly #name: string;
  readonly #selectors: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>;
  /** What every list request adds to the selectors. */
  readonly #listHints: Pick<ListOptions, 'omitManagedFields'>;
  readonly #pageSize: number;
  readonly #idleTimeoutMs: number;
  readonly #listTimeoutMs: number;
  readonly #watchTimeout: { readonly min: number; readonly max: number };
  readonly #prepare: (object: T) => T;
  /** Watch-list asked for and not (yet) refused by the server. */
  #watchList: boolean;

  state: State<T>;
  #listed = false;
  #afterList = false;
  #health = {
    failures: 0,
    reconnects: 0,
    relists: 0,
    stalls: 0,
    lastError: undefined as WatcherFailure | undefined,
    lastSyncAt: undefined as number | undefined,
    lastEventAt: undefined as number | undefined,
  };

  constructor(lw: ListerWatcher<T>, options: WatcherOptions<T>) {
    this.#lw = lw;
    this.#prepare = options.prepare ?? ((object) => object);
    this.#watchList = options.watchList === true;
    this.state = this.#initialState({ kind: 'any' });
    this.#clock = options.clock ?? realClock;
    this.#logger = options.logger ?? defaultLogger;
    this.#random = options.random ?? Math.random;
    this.#backoff = createBackoff(options.backoff ?? {}, this.#clock, this.#random);
    this.#signal = options.signal ?? new AbortController().signal;
    this.#name = options.name ?? 'watcher';
    this.#selectors = {
      ...(options.labelSelector ? { labelSelector: options.labelSelector } : {}),
      ...(options.fieldSelector ? { fieldSelector: options.fieldSelector } : {}),
    };
    this.#listHints = options.omitManagedFields === true ? { omitManagedFields: true } : {};
    this.#pageSize = options.pageSize ?? 500;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
    this.#listTimeoutMs = options.listTimeoutMs ?? 120_000;
    this.#watchTimeout = options.watchTimeoutSeconds ?? { min: 300, max: 600 };
    if (!(this.#pageSize >= 0) || !(this.#idleTimeoutMs > 0) || !(this.#listTimeoutMs > 0)) {
      throw new RangeError(`${this.#name}: pageSize must be >= 0, idleTimeoutMs and listTimeoutMs > 0`);
    }
    if (!(this.#watchTimeout.min > 0 && this.#watchTimeout.max >= this.#watchTimeout.min)) {
      throw new RangeError(`${this.#name}: watchTimeoutSeconds needs 0 < min <= max`);
    }
  }

  health(): WatcherHealth {
    const state = phaseOf(this.state);
    return {
      state,
      healthy: this.#listed && state !== 'backoff' && state !== 'stopped',
      resourceVersion: this.#resourceVersion(),
      ...this.#health,
    };
  }

  /** Where a (re)sync starts: a watch-list stream, or a list in `mode`. */
  #initialState(mode: ListMode): State<T> {
    if (!this.#watchList) return listing(mode);
    const resourceVersion = mode.kind === 'not-older-than' ? mode.resourceVersion : undefined;
    return {
      tag: 'streaming',
      resourceVersion,
      initial: new InitialEvents(this.#prepare),
      connection: undefined,
    };
  }

  #timeoutSeconds(): number {
    const { min, max } = this.#watchTimeout;
    return min + Math.floor(this.#random() * (max - min + 1));
  }

  #resourceVersion(): string | undefined {
    const s = this.state;
    if (s.tag === 'connecting' || s.tag === 'watching') return s.resourceVersion;
    if (s.tag === 'waiting' && (s.then.tag === 'connecting' || s.then.tag === 'watching'))
      return s.then.resourceVersion;
    return undefined;
  }

  /** Closes any open watch; the machine stays stopped. */
  stop(): void {
    const s = this.state;
    if (s.tag === 'watching') close(s.connection);
    if (s.tag === 'streaming' && s.connection !== undefined) close(s.connection);
    this.state = STOPPED;
  }

  /** Moves the protocol one step: performs one request or consumes one watch event. */
  async step(state: State<T>): Promise<Step<T>> {
    if (this.#signal.aborted) {
      if (state.tag === 'watching') close(state.connection);
      if (state.tag === 'streaming' && state.connection) close(state.connection);
      return { state: STOPPED, events: [] };
    }
    switch (state.tag) {
      case 'listing':
        return this.#stepList(state);
      case 'streaming':
        return state.connection === undefined
          ? this.#openStream(state)
          : this.#stepStream(state, state.connection);
      case 'connecting':
        return this.#stepConnect(state);
      case 'watching':
        return this.#stepWatch(state);
      case 'waiting':
        return {
          state: (await sleep(state.delayMs, this.#signal, this.#clock)) ? state.then : STOPPED,
          events: [],
        };
      case 'stopped':
        return { state, events: [] };
      default:
        return assertNever(state, 'watcher state');
    }
  }

  async #stepList(state: Extract<State<T>, { tag: 'listing' }>): Promise<Step<T>> {
    const { mode, continueToken } = state;
    const paged = this.#pageSize > 0 ? { limit: this.#pageSize } : {};
    let options: ListOptions;
    if (continueToken !== undefined) options = { ...this.#selectors, ...paged, continue: continueToken };
    else if (mode.kind === 'any') options = { ...this.#selectors, ...paged, resourceVersion: '0' };
    else if (mode.kind === 'not-older-than') {
      // Unpaged, like client-go: with a limit, older servers would serve this from etcd.
      options = {
        ...this.#selectors,
        resourceVersion: mode.resourceVersion,
        resourceVersionMatch: 'NotOlderThan',
      };
    } else options = { ...this.#selectors, ...paged };

    const outcome = await listWithTimeout(
      this.#lw,
      { ...options, ...this.#listHints },
      this.#prepare,
      this.#listTimeoutMs,
      this.#signal,
      this.#clock,
    );
    if (this.#signal.aborted) return { state: STOPPED, events: [] };
    if (!outcome.ok) {
      const failure = outcome.kind;
      if (failure.kind === 'gone' || failure.kind === 'too-large') {
        this.#health.relists++;
        if (mode.kind !== 'consistent') {
          // The resourceVersion or the continue token is unavailable: only a consistent list can help.
          this.#record('list', failure.reason, outcome.error);
          this.#logger.info('list resourceVersion or continue token unavailable; listing consistently', {
            watcher: this.#name,
            reason: failure.reason,
          });
          return { state: listing({ kind: 'consistent' }), events: [] };
        }
        // Already consistent: paging outlived the compaction window (or the server misbehaves).
        // Start over from the first page, after a backoff so this cannot become a tight loop.
        return {
          state: this.#retryLater('list', failure, outcome.error, listing({ kind: 'consistent' })),
          events: [],
        };
      }
      return { state: this.#retryLater('list', failure, outcome.error, state), events: [] };
    }

    const { items, metadata } = outcome;
    for (const item of items) state.items.push(item);
    const next = metadata.continue;
    if (next !== undefined && next !== '') {
      return { state: { tag: 'listing', mode, items: state.items, continueToken: next }, events: [] };
    }
    const resourceVersion = metadata.resourceVersion;
    if (resourceVersion === undefined || resourceVersion === '') {
      const error = new WatcherError(
        'MissingResourceVersion',
        'the list response has no metadata.resourceVersion',
      );
      return {
        state: this.#retryLater(
          'list',
          { kind: 'retry', reason: error.reason },
          error,
          listing({ kind: 'consistent' }),
        ),
        events: [],
      };
    }
    this.#listed = true;
    this.#afterList = true;
    this.#backoff.reset();
    this.#health.lastSyncAt = this.#clock.now();
    this.#logger.debug('listed', { watcher: this.#name, objects: state.items.length, resourceVersion });
    return {
      state: { tag: 'connecting', resourceVersion },
      events: [{ type: 'listed', objects: state.items, resourceVersion }],
    };
  }

  #openStream(state: Extract<State<T>, { tag: 'streaming' }>): Step<T> {
    const request = watchListRequest(this.#selectors, state.resourceVersion, this.#timeoutSeconds());
    try {
      const connection = openConnection(this.#lw, request, this.#clock);
      this.#logger.debug('streaming the initial state', {
        watcher: this.#name,
        resourceVersion: state.resourceVersion,
      });
      return { state: { ...state, connection }, events: [] };
    } catch (error) {
      return { state: this.#streamFailed(state, error), events: [] };
    }
  }

  async #stepStream(
    state: Extract<State<T>, { tag: 'streaming' }>,
    connection: Connection<T>,
  ): Promise<Step<T>> {
    const restart = (): State<T> => ({
      ...state,
      initial: new InitialEvents(this.#prepare),
      connection: undefined,
    });
    const wait = await nextEvent(connection, this.#idleTimeoutMs, this.#signal, this.#clock);
    if (wait.kind !== 'result' || wait.result.done === true) close(connection);
    switch (wait.kind) {
      case 'stopped':
        return { state: STOPPED, events: [] };
      case 'stalled': {
        this.#health.stalls++;
        const error = new WatcherError(
          'Stalled',
          `nothing arrived on the watch-list for ${this.#idleTimeoutMs} ms`,
        );
        return {
          state: this.#retryLater('watch', { kind: 'retry', reason: error.reason }, error, restart()),
          events: [],
        };
      }
      case 'failed':
        if (this.#signal.aborted) return { state: STOPPED, events: [] };
        return { state: this.#streamFailed(state, wait.error), events: [] };
      case 'result':
        break;
      default:
        return assertNever(wait, 'watch wait');
    }
    if (wait.result.done === true) {
      const error = new WatcherError('ShortWatch', 'the watch-list ended before its initial events did');
      return {
        state: this.#retryLater('watch', { kind: 'retry', reason: error.reason }, error, restart()),
        events: [],
      };
    }
    const event = wait.result.value;
    this.#noteEvent(connection);
    switch (event.type) {
      case 'added':
      case 'modified':
      case 'deleted':
        state.initial.apply(event.type, event.object);
        return { state, events: [] };
      case 'bookmark': {
        if (event.initialEventsEnd !== true) return { state, events: [] };
        const { resourceVersion } = event;
        const objects = state.initial.take();
        this.#listed = true;
        this.#health.lastSyncAt = this.#clock.now();
        this.#logger.debug('streamed', { watcher: this.#name, objects: objects.length, resourceVersion });
        return {
          state: { tag: 'watching', resourceVersion, connection },
          events: [{ type: 'listed', objects, resourceVersion }],
        };
      }
      case 'error': {
        close(connection);
        const error = new WatcherError(
          'WatchErrorEvent',
          `watch-list ERROR event: ${event.status.message ?? event.status.reason ?? 'unknown'}`,
          event.status,
        );
        return { state: this.#streamFailed(state, error, event.status), events: [] };
      }
      default:
        return assertNever(event, 'watch event');
    }
  }

  /** A refused watch-list falls back to listing for good; an expired version streams the latest. */
  #streamFailed(state: Extract<State<T>, { tag: 'streaming' }>, error: unknown, status?: Status): State<T> {
    const mode: ListMode =
      state.resourceVersion === undefined
        ? { kind: 'any' }
        : { kind: 'not-older-than', resourceVersion: state.resourceVersion };
    if (isWatchListRefused(status ?? error)) {
      this.#watchList = false;
      this.#logger.info('the server refused watch-list; listing instead', {
        watcher: this.#name,
        error: errorFields(error),
      });
      return listing(mode);
    }
    const failure = status === undefined ? classifyFailure(error) : classifyStatus(status);
    const fresh: State<T> = { ...state, initial: new InitialEvents(this.#prepare), connection: undefined };
    if (failure.kind === 'gone' || failure.kind === 'too-large') {
      this.#record('watch', failure.reason, error);
      this.#health.relists++;
      return { ...fresh, resourceVersion: undefined };
    }
    return this.#retryLater('watch', failure, error, fresh);
  }

  #stepConnect(state: Extract<State<T>, { tag: 'connecting' }>): Step<T> {
    const { resourceVersion } = state;
    const timeoutSeconds = this.#timeoutSeconds();
    if (!this.#afterList) this.#health.reconnects++;
    this.#afterList = false;
    let connection: Connection<T>;
    try {
      connection = openConnection(
        this.#lw,
        { ...this.#selectors, resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        this.#clock,
      );
    } catch (error) {
      return { state: this.#failed('watch', error, resourceVersion), events: [] };
    }
    this.#logger.debug('watching', { watcher: this.#name, resourceVersion, timeoutSeconds });
    return { state: { tag: 'watching', resourceVersion, connection }, events: [] };
  }

  async #stepWatch(state: Extract<State<T>, { tag: 'watching' }>): Promise<Step<T>> {
    const { connection } = state;
    let { resourceVersion } = state;
    const wait = await nextEvent(connection, this.#idleTimeoutMs, this.#signal, this.#clock);
    switch (wait.kind) {
      case 'stopped':
        close(connection);
        return { state: STOPPED, events: [] };
      case 'stalled': {
        close(connection);
        this.#health.stalls++;
        const error = new WatcherError(
          'Stalled',
          `nothing arrived on the watch for ${this.#idleTimeoutMs} ms`,
        );
        this.#record('stall', error.reason, error);
        // A connection that never delivered anything is most likely a quiet collection on a
        // server without periodic bookmarks; one that went silent mid-stream is a real stall.
        const fields = { watcher: this.#name, resourceVersion, idleTimeoutMs: this.#idleTimeoutMs };
        if (connection.events === 0) this.#logger.info('watch idle; reconnecting', fields);
        else this.#logger.warn('watch stalled; reconnecting', fields);
        return { state: { tag: 'connecting', resourceVersion }, events: [] };
      }
      case 'failed':
        close(connection);
        if (this.#signal.aborted) return { state: STOPPED, events: [] };
        return { state: this.#failed('watch', wait.error, resourceVersion), events: [] };
      case 'result':
        break;
      default:
        return assertNever(wait, 'watch wait');
    }
    if (wait.result.done === true) {
      close(connection);
      if (connection.events === 0 && this.#clock.now() - connection.openedAt < SHORT_WATCH_MS) {
        const error = new WatcherError('ShortWatch', 'the watch ended at once without delivering anything');
        return {
          state: this.#retryLater('watch', { kind: 'retry', reason: error.reason }, error, {
            tag: 'connecting',
            resourceVersion,
          }),
          events: [],
        };
      }
      this.#logger.debug('watch ended; reconnecting', { watcher: this.#name, resourceVersion });
      return { state: { tag: 'connecting', resourceVersion }, events: [] };
    }

    const event = wait.result.value;
    this.#noteEvent(connection);
    switch (event.type) {
      case 'added':
      case 'modified':
      case 'deleted': {
        resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
        const prepared = { type: event.type, object: this.#prepare(event.object) };
        return { state: { tag: 'watching', resourceVersion, connection }, events: [prepared] };
      }
      case 'bookmark':
        resourceVersion = event.resourceVersion;
        return {
          state: { tag: 'watching', resourceVersion, connection },
          events: [{ type: 'bookmark', resourceVersion }],
        };
      case 'error': {
        close(connection);
        const failure = classifyStatus(event.status);
        const error = new WatcherError(
          'WatchErrorEvent',
          `watch ERROR event: ${event.status.message ?? failure.reason}`,
          event.status,
        );
        return { state: this.#afterFailure('watch', failure, error, resourceVersion), events: [] };
      }
      default:
        return assertNever(event, 'watch event');
    }
  }

  /** An event arrived: it proves the connection alive and is the watcher's last activity. */
  #noteEvent(connection: Connection<T>): void {
    connection.opened = true;
    // The server is back: the next outage starts from the first, short delay.
    if (connection.events === 0) this.#backoff.reset();
    connection.events++;
    connection.lastActivityAt = this.#clock.now();
    this.#health.lastEventAt = connection.lastActivityAt;
  }

  #failed(operation: 'watch', error: unknown, resourceVersion: string): State<T> {
    return this.#afterFailure(operation, classifyFailure(error), error, resourceVersion);
  }

  #afterFailure(operation: 'watch', failure: FailureKind, error: unknown, resourceVersion: string): State<T> {
    if (failure.kind === 'gone' || failure.kind === 'too-large') {
      this.#record(operation, failure.reason, error);
      this.#health.relists++;
      this.#logger.info('watch resourceVersion expired; relisting', {
        watcher: this.#name,
        resourceVersion,
        reason: failure.reason,
      });
      return this.#initialState({ kind: 'not-older-than', resourceVersion });
    }
    return this.#retryLater(operation, failure, error, { tag: 'connecting', resourceVersion });
  }

  #retryLater(operation: 'list' | 'watch', failure: FailureKind, error: unknown, then: State<T>): State<T> {
    this.#record(operation, failure.reason, error);
    const retryAfterMs = failure.kind === 'throttled' ? failure.retryAfterMs : undefined;
    const delayMs =
      retryAfterMs !== undefined && retryAfterMs > 0
        ? retryAfterMs
        : this.#backoff.next(failure.kind === 'unreachable' ? 'unreachable' : 'answered');
    this.#logger.warn(`${operation} failed; retrying`, {
      watcher: this.#name,
      reason: failure.reason,
      delayMs,
      attempt: this.#backoff.attempts,
      error: errorFields(error),
    });
    return { tag: 'waiting', delayMs, then };
  }

  #record(operation: WatcherFailure['operation'], reason: string, error: unknown): void {
    this.#health.failures++;
    this.#health.lastError = {
      operation,
      reason,
      message: error instanceof Error ? error.message : String(error),
      at: this.#clock.now(),
      error,
    };
  }
}
