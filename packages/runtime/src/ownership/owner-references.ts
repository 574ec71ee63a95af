/**
 * Owner references: how a child says which object it belongs to. The controller reference
 * (`controller: true`) is what `owns(...)` follows to enqueue the owner, and what the garbage
 * collector follows to delete children with their owner (in real clusters).
 *
 * The helpers change `object.metadata.ownerReferences` in place: pass your own copy, never an
 * object from the cache.
 */
import type { KubeObject, OwnerReference } from '../api/index.ts';

export type OwnershipErrorReason =
  'AlreadyOwned' | 'CrossNamespace' | 'ClusterScopedDependent' | 'IncompleteOwner';

export class OwnershipError extends Error {
  readonly reason: OwnershipErrorReason;
  constructor(reason: OwnershipErrorReason, message: string) {
    super(message);
    this.name = 'OwnershipError';
    this.reason = reason;
  }
}

export interface OwnerReferenceOptions {
  /** Keep the owner from being deleted before this child (foreground deletion); default `true` for controller references. */
  readonly blockOwnerDeletion?: boolean;
}

/**
 * Makes `owner` the controller of `object`. Refuses (`AlreadyOwned`) when another object
 * already controls it; updating the reference to the same owner is fine. Also refuses
 * references the API server or garbage collector would reject: a namespaced owner for a
 * cluster-scoped object, or an owner in another namespace.
 */
export function setControllerReference<T extends KubeObject>(
  owner: KubeObject,
  object: T,
  options: OwnerReferenceOptions = {},
): T {
  const ref = referenceTo(owner, object, {
    controller: true,
    blockOwnerDeletion: options.blockOwnerDeletion ?? true,
  });
  const existing = getControllerOf(object);
  if (existing !== undefined && !sameOwner(existing, ref)) {
    throw new OwnershipError(
      'AlreadyOwned',
      `${describe(object)} is already controlled by ${existing.kind} ${existing.name} (uid ${existing.uid}); ` +
        `an object has at most one controller — use setOwnerReference for a non-controlling owner`,
    );
  }
  upsert(object, ref);
  return object;
}

/** Adds (or updates) a non-controlling owner reference. */
export function setOwnerReference<T extends KubeObject>(
  owner: KubeObject,
  object: T,
  options: OwnerReferenceOptions = {},
): T {
  const existing = (object.metadata.ownerReferences ?? []).find((r) => sameOwner(r, identityOf(owner)));
  const ref = referenceTo(owner, object, {
    // Keep an existing controller flag: demoting a controller is not what this call is for.
    ...(existing?.controller === true && { controller: true }),
    ...(options.blockOwnerDeletion !== undefined && { blockOwnerDeletion: options.blockOwnerDeletion }),
  });
  upsert(object, ref);
  return object;
}

/** Removes `owner`'s reference; returns whether there was one. */
export function removeOwnerReference(owner: KubeObject, object: KubeObject): boolean {
  const refs = object.metadata.ownerReferences ?? [];
  const kept = refs.filter((r) => !sameOwner(r, identityOf(owner)));
  if (kept.length === refs.length) return false;
  object.metadata.ownerReferences = kept;
  return true;
}

/** The controller reference of `object`, if any. */
export function getControllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** Whether `owner` (matched by uid) is the controller of `object`. */
export function isControlledBy(object: KubeObject, owner: KubeObject): boolean {
  const ref = getControllerOf(object);
  return ref !== undefined && owner.metadata.uid !== undefined && ref.uid === owner.metadata.uid;
}

function identityOf(owner: KubeObject): Pick<OwnerReference, 'apiVersion' | 'kind' | 'name' | 'uid'> {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
  };
}

function referenceTo(
  owner: KubeObject,
  object: KubeObject,
  flags: { readonly controller?: boolean; readonly blockOwnerDeletion?: boolean },
): OwnerReference {
  const id = identityOf(owner);
  const missing = (['apiVersion', 'kind', 'name', 'uid'] as const).filter((k) => id[k] === '');
  if (missing.length > 0) {
    throw new OwnershipError(
      'IncompleteOwner',
      `owner ${describe(owner)} has no ${missing.join(', ')}: use the owner as read from the API server or cache (it carries apiVersion, kind and uid)`,
    );
  }
  const ownerNamespace = owner.metadata.namespace ?? '';
  const objectNamespace = object.metadata.namespace ?? '';
  if (ownerNamespace !== '') {
    if (objectNamespace === '') {
      throw new OwnershipError(
        'ClusterScopedDependent',
        `cluster-scoped ${describe(object)} cannot be owned by namespaced ${describe(owner)}`,
      );
    }
    if (objectNamespace !== ownerNamespace) {
      throw new OwnershipError(
        'CrossNamespace',
        `${describe(object)} cannot be owned by ${describe(owner)}: owner references cannot cross namespaces`,
      );
    }
  }
  return { ...id, ...flags };
}

function upsert(object: KubeObject, ref: OwnerReference): void {
  const refs = object.metadata.ownerReferences ?? [];
  const i = refs.findIndex((r) => sameOwner(r, ref));
  object.metadata.ownerReferences = i < 0 ? [...refs, ref] : refs.map((r, j) => (j === i ? ref : r));
}

/** Same owner: same group (any version), kind and name, as controller-runtime compares them. */
function sameOwner(
  a: Pick<OwnerReference, 'apiVersion' | 'kind' | 'name'>,
  b: Pick<OwnerReference, 'apiVersion' | 'kind' | 'name'>,
): boolean {
  return groupOf(a.apiVersion) === groupOf(b.apiVersion) && a.kind === b.kind && a.name === b.name;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function describe(o: KubeObject): string {
  const { namespace, name } = o.metadata;
  return `${o.kind ?? 'object'} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
}
