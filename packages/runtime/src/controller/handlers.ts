/**
 * Event handlers turn a change to a watched object into the requests to enqueue: the object
 * itself (the primary kind), its controlling owner (owned kinds), or whatever a mapping
 * function names (anything else).
 */
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import type { ObjectEvent } from './predicates.ts';
import type { Request } from './reconciler.ts';

/** Maps one change to the requests it should trigger (possibly none). */
export type EventMapper<T extends KubeObject = KubeObject> = (event: ObjectEvent<T>) => readonly Request[];

/** A mapping from an object to requests, for `watches(resource, map)`. */
export type MapFunc<T extends KubeObject = KubeObject> = (object: T) => readonly Request[];

/** The objects an event concerns: both states of an update, since either may map somewhere. */
export function objectsOf<T extends KubeObject>(event: ObjectEvent<T>): readonly T[] {
  return event.type === 'update' ? [event.oldObject, event.newObject] : [event.object];
}

/** The request naming the object itself. */
export function requestFor(object: KubeObject): Request {
  const { namespace, name = '' } = object.metadata;
  return namespace ? { namespace, name } : { name };
}

/** Enqueues the object itself. */
export const enqueueObject: EventMapper = (event) => dedupe(objectsOf(event).map((o) => requestFor(o)));

/** Enqueues the result of `map` for the object (for updates, for both old and new). */
export function enqueueMapped<T extends KubeObject>(map: MapFunc<T>): EventMapper<T> {
  return (event) => dedupe(objectsOf(event).flatMap((o) => map(o)));
}

export interface OwnerMappingOptions {
  /** Also follow owner references without `controller: true`; default `false`. */
  readonly anyOwner?: boolean;
}

/**
 * Enqueues the owner of kind `owner` named by the object's ownerReferences — the controlling
 * one only, unless `anyOwner`. References match on API group (any version) and kind. A
 * namespaced owner is looked up in the object's namespace (ownerReferences never cross
 * namespaces); a cluster-scoped owner has no namespace.
 */
export function enqueueOwner(owner: ResourceDescriptor, options: OwnerMappingOptions = {}): EventMapper {
  return (event) =>
    dedupe(
      objectsOf(event).flatMap((object) =>
        (object.metadata.ownerReferences ?? [])
          .filter(
            (ref) =>
              ref.kind === owner.kind &&
              groupOf(ref.apiVersion) === owner.group &&
              (options.anyOwner === true || ref.controller === true),
          )
          .map((ref): Request => {
            const namespace = object.metadata.namespace;
            return owner.namespaced && namespace ? { namespace, name: ref.name } : { name: ref.name };
          }),
      ),
    );
}

/** The group of an apiVersion (`apps/v1` -> `apps`, `v1` -> `''`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function dedupe(requests: readonly Request[]): readonly Request[] {
  if (requests.length < 2) return requests;
  const seen = new Map<string, Request>();
  for (const r of requests) seen.set(`${r.namespace ?? ''}/${r.name}`, r);
  return [...seen.values()];
}
