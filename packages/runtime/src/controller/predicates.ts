/**
 * Predicates decide which changes reach the work queue. They see what happened (unlike the
 * reconciler) only to filter noise: a status-only update, a resync, a label nobody reads.
 * Periodic resyncs of the primary kind are enqueued by the controller directly and are never
 * filtered.
 */
import type { KubeObject } from '../api/index.ts';
import { assertNever } from '../api/index.ts';

/** A change to a watched object, as a handler sees it. */
export type ObjectEvent<T extends KubeObject = KubeObject> =
  | { readonly type: 'create'; readonly object: T }
  | { readonly type: 'update'; readonly oldObject: T; readonly newObject: T }
  | { readonly type: 'delete'; readonly object: T; readonly finalStateUnknown: boolean };

/** `true` lets the event through. */
export type Predicate<T extends KubeObject = KubeObject> = (event: ObjectEvent<T>) => boolean;

/** Lets updates through only when `changed(old, new)`; creates and deletes always pass. */
export function onUpdate<T extends KubeObject>(
  changed: (oldObject: T, newObject: T) => boolean,
): Predicate<T> {
  return (event) => {
    switch (event.type) {
      case 'create':
      case 'delete':
        return true;
      case 'update':
        return changed(event.oldObject, event.newObject);
      default:
        return assertNever(event);
    }
  };
}

/**
 * Updates pass only when `metadata.generation` changed, i.e. the spec changed (kinds with a
 * status subresource). Filters status-only writes, including the controller's own, and
 * resyncs. Kinds without generation tracking (ConfigMaps...) never pass updates: combine with
 * {@link or} and another predicate for those.
 */
export const generationChanged: Predicate = onUpdate(
  (oldObject, newObject) => oldObject.metadata.generation !== newObject.metadata.generation,
);

/** Updates pass only when `metadata.labels` changed. */
export const labelsChanged: Predicate = onUpdate(
  (oldObject, newObject) => !sameStringMap(oldObject.metadata.labels, newObject.metadata.labels),
);

/** Updates pass only when `metadata.annotations` changed. */
export const annotationsChanged: Predicate = onUpdate(
  (oldObject, newObject) => !sameStringMap(oldObject.metadata.annotations, newObject.metadata.annotations),
);

/** Updates pass only when `metadata.resourceVersion` changed: drops resync notifications. */
export const resourceVersionChanged: Predicate = onUpdate(
  (oldObject, newObject) => oldObject.metadata.resourceVersion !== newObject.metadata.resourceVersion,
);

/** Passes when every predicate passes (and when given none). */
export function and<T extends KubeObject>(...predicates: readonly Predicate<T>[]): Predicate<T> {
  return (event) => predicates.every((p) => p(event));
}

/** Passes when any predicate passes (not when given none). */
export function or<T extends KubeObject>(...predicates: readonly Predicate<T>[]): Predicate<T> {
  return (event) => predicates.some((p) => p(event));
}

export function not<T extends KubeObject>(predicate: Predicate<T>): Predicate<T> {
  return (event) => !predicate(event);
}

/** A predicate over the object alone (the new object for updates), e.g. a label filter. */
export function objectMatches<T extends KubeObject>(test: (object: T) => boolean): Predicate<T> {
  return (event) => test(event.type === 'update' ? event.newObject : event.object);
}

function sameStringMap(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  const aKeys = Object.keys(a ?? {});
  const bKeys = Object.keys(b ?? {});
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((k) => Object.hasOwn(b ?? {}, k) && b?.[k] === a?.[k]);
}
