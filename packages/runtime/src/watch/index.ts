/**
 * watch: the list+watch protocol over one collection, as a state machine that recovers from
 * every failure it can (dropped connections, 410 Gone, stalls, throttling) and reports the
 * ones it met through a health snapshot. It never exits the process and never stops silently.
 */
export type {
  WatcherEvent,
  WatcherPhase,
  WatcherFailure,
  WatcherHealth,
  WatcherOptions,
  Watcher,
} from './types.ts';
export { createBackoff, type Backoff, type BackoffOptions } from './backoff.ts';
export { createWatcher } from './watcher.ts';
export { WatcherError, classifyFailure, classifyStatus, type FailureKind } from './errors.ts';
