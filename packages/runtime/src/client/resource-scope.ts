/**
 * The rules a call must satisfy before it is sent: namespaces only for namespaced resources
 * (and the bound one for an `inNamespace` view), non-empty names, objects of the client's kind.
 * Violations throw a {@link ClientUsageError} saying what to change.
 */
import { apiVersionOf, type ResourceDescriptor } from '../api/index.ts';
import { ClientUsageError } from './errors.ts';

/** `plural.group` (or `plural` for the core group), as kubectl names resources. */
export function describeResource(resource: ResourceDescriptor): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

/**
 * The namespace of a collection call (list, watch, deleteCollection): `undefined` means all
 * namespaces, or cluster scope. An empty string counts as not given.
 */
export function collectionNamespace(
  resource: ResourceDescriptor,
  bound: string | undefined,
  given: string | undefined,
): string | undefined {
  if (!resource.namespaced) {
    if (given !== undefined && given !== '') {
      throw new ClientUsageError(
        'NamespaceNotAllowed',
        `${describeResource(resource)} is cluster-scoped: remove the namespace "${given}" from the call or the object`,
      );
    }
    return undefined;
  }
  if (given === undefined || given === '') return bound;
  if (bound !== undefined && given !== bound) {
    throw new ClientUsageError(
      'NamespaceMismatch',
      `${describeResource(resource)}: this client is bound to namespace "${bound}" but the call names "${given}"`,
    );
  }
  return given;
}

/** The namespace of a call on one object: required for namespaced resources, rejected for cluster-scoped ones. */
export function objectNamespace(
  resource: ResourceDescriptor,
  bound: string | undefined,
  given: string | undefined,
  verb: string,
): string | undefined {
  const namespace = collectionNamespace(resource, bound, given);
  if (resource.namespaced && namespace === undefined) {
    throw new ClientUsageError(
      'NamespaceRequired',
      `${describeResource(resource)} is namespaced: ${verb} needs a namespace (metadata.namespace, the namespace option, or client.inNamespace(ns))`,
    );
  }
  return namespace;
}

export function requireName(resource: ResourceDescriptor, name: string | undefined, verb: string): string {
  if (name === undefined || name === '') {
    throw new ClientUsageError('NameRequired', `${describeResource(resource)}: ${verb} needs an object name`);
  }
  return name;
}

/**
 * The object with apiVersion and kind filled in (a shallow copy if they were missing); an
 * object of another kind is rejected.
 */
export function withCheckedTypeMeta<
  T extends { readonly apiVersion?: string | undefined; readonly kind?: string | undefined },
>(resource: ResourceDescriptor, object: T, verb: string): T {
  const apiVersion = apiVersionOf(resource);
  const kind = resource.kind;
  if (object.apiVersion === apiVersion && object.kind === kind) return object;
  if (
    (object.apiVersion !== undefined && object.apiVersion !== apiVersion) ||
    (object.kind !== undefined && object.kind !== kind)
  ) {
    throw new ClientUsageError(
      'KindMismatch',
      `${describeResource(resource)}: ${verb} got an object of ${object.apiVersion ?? '?'}/${object.kind ?? '?'}; expected ${apiVersion}/${kind}`,
    );
  }
  return { ...object, apiVersion, kind };
}
