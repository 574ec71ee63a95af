/**
 * controller: the reconciler contract (`Request` -> `Result`, `TerminalError`), predicates,
 * event-to-request mapping (self, owner, mapped), the cache-backed client reconcilers get,
 * the engine that runs workers over a rate-limited queue, and the fluent builder.
 */
export {
  TerminalError,
  ReconcileTimeoutError,
  InvalidResultError,
  isTerminalError,
  outcomeOf,
  requestKey,
  type Request,
  type Result,
  type ReconcileContext,
  type Reconciler,
  type Outcome,
  type Settled,
} from './reconciler.ts';
export {
  generationChanged,
  labelsChanged,
  annotationsChanged,
  resourceVersionChanged,
  onUpdate,
  objectMatches,
  and,
  or,
  not,
  type ObjectEvent,
  type Predicate,
} from './predicates.ts';
export {
  enqueueObject,
  enqueueOwner,
  enqueueMapped,
  requestFor,
  groupOf,
  type EventMapper,
  type MapFunc,
  type OwnerMappingOptions,
} from './handlers.ts';
export {
  createCachedClient,
  CachedClientError,
  type CachedClient,
  type CachedClientErrorReason,
  type Client,
  type ObjectClient,
  type MetadataReader,
  type CachedClientOptions,
  type CachedReadOptions,
  type CachedListOptions,
} from './client.ts';
export { createController } from './controller.ts';
export {
  ControllerError,
  ControllerStoppedError,
  DEFAULT_RESYNC_PERIOD_MS,
  type Controller,
  type ControllerOptions,
  type ControllerStatus,
  type StopOptions,
  type WatchSource,
} from './types.ts';
export {
  controllerFor,
  ControllerBuilder,
  type ControllerBlueprint,
  type SourceOptions,
  type OwnsOptions,
  type MetadataOnly,
} from './builder.ts';
export { withFields } from './logging.ts';
