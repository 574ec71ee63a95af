/** The Kubernetes object model and the list/watch contract shared by all runtime modules. */
export type { int, int32, int64, IntOrString, Quantity, Time, MicroTime, Duration } from './scalars.ts';
export type {
  OwnerReference,
  ManagedFieldsEntry,
  ObjectMeta,
  KubeObject,
  PartialObjectMetadata,
  ListMeta,
  ObjectList,
  LabelSelectorRequirement,
  LabelSelector,
  Condition,
  StatusCause,
  Status,
} from './object-meta.ts';
export {
  apiVersionOf,
  objectKey,
  splitObjectKey,
  type ObjectOf,
  type ResourceDescriptor,
} from './resource.ts';
export { assertNever } from './list-watch.ts';
export type { ListOptions, WatchOptions, WatchEvent, ListerWatcher } from './list-watch.ts';
