/**
 * events: recording what controllers do as core/v1 Events, aggregated like client-go's
 * recorder (repeats bump `count`, similar events are combined), written in the background and
 * never blocking a reconcile.
 */
export {
  COMBINED_MESSAGE_PREFIX,
  createEventRecorder,
  noopEventRecorder,
  eventResource,
  type EventRecorder,
  type EventRecorderOptions,
  type EventType,
  type CoreEvent,
  type ObjectReference,
} from './recorder.ts';
