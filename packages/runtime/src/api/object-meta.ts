/**
 * The object model shared by every Kubernetes resource: type meta, object meta, lists,
 * label selectors, conditions and the Status returned for failures.
 */
import type { int32, int64, Time } from './scalars.ts';

/** A reference from a dependent object to its owner; `controller: true` marks the managing owner. */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly time?: Time;
  readonly fieldsType?: string;
  readonly fieldsV1?: Record<string, unknown>;
  readonly subresource?: string;
}

/**
 * Metadata every persisted object carries. `resourceVersion` is opaque: compare it for
 * equality only. `generation` increases on every spec change (for resources with a status
 * subresource), which `status.observedGeneration` echoes.
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: int64;
  creationTimestamp?: Time;
  deletionTimestamp?: Time;
  deletionGracePeriodSeconds?: int64;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
}

/** Any Kubernetes object: type meta plus object meta. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/**
 * An object's type and metadata only: what a metadata-only client or informer reads (the API
 * server's `meta.k8s.io/v1` PartialObjectMetadata, controller-runtime's `PartialObjectMetadata`).
 * `apiVersion` and `kind` are the object's own (`v1`, `Secret`), not `meta.k8s.io/v1`.
 */
export interface PartialObjectMetadata extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: int64;
}

export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** metav1.LabelSelector: the structured form used in specs (e.g. a Deployment's selector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** metav1.Condition: one aspect of an object's observed state. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: int64;
  lastTransitionTime: Time;
  reason: string;
  message: string;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** metav1.Status: the body of an error response (and of an in-stream watch ERROR event). */
export interface Status {
  apiVersion?: string;
  kind?: 'Status';
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: int32;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: int32;
  };
}
