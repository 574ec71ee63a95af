/**
 * Fixed schemas of the apimachinery structs @kubeforge/runtime/api declares, as controller-gen
 * writes them for the Go types: the structure and list/map types the API server serves
 * (Kubernetes 1.34 OpenAPI), the validation upstream declares with kubebuilder markers
 * (metav1.Condition), and no `default: ""` (openapi-gen adds those for non-pointer fields;
 * controller-gen does not). Descriptions are upstream's, as the server serves them.
 * `upstream-schemas.test.ts` compares them with the served OpenAPI document.
 */
import type { Schema } from '../model/index.ts';

const string = (description: string): Schema => ({ type: 'string', description });

/** metav1.Condition with the validation upstream declares on it. */
export const conditionSchema: Schema = {
  type: 'object',
  description: 'Condition contains details for one aspect of the current state of this API Resource.',
  required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
  properties: {
    lastTransitionTime: {
      type: 'string',
      format: 'date-time',
      description:
        'lastTransitionTime is the last time the condition transitioned from one status to another. This should be when the underlying condition changed.  If that is not known, then using the time when the API field changed is acceptable.',
    },
    message: {
      type: 'string',
      maxLength: 32768,
      description:
        'message is a human readable message indicating details about the transition. This may be an empty string.',
    },
    observedGeneration: {
      type: 'integer',
      format: 'int64',
      minimum: 0,
      description:
        'observedGeneration represents the .metadata.generation that the condition was set based upon. For instance, if .metadata.generation is currently 12, but the .status.conditions[x].observedGeneration is 9, the condition is out of date with respect to the current state of the instance.',
    },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
      description:
        "reason contains a programmatic identifier indicating the reason for the condition's last transition. Producers of specific condition types may define expected values and meanings for this field, and whether the values are considered a guaranteed API. The value should be a CamelCase string. This field may not be empty.",
    },
    status: {
      type: 'string',
      enum: ['True', 'False', 'Unknown'],
      description: 'status of the condition, one of True, False, Unknown.',
    },
    type: {
      type: 'string',
      maxLength: 316,
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
      description: 'type of condition in CamelCase or in foo.example.com/CamelCase.',
    },
  },
};

/** metav1.LabelSelectorRequirement: `operator` is a plain string upstream (no enum). */
export const labelSelectorRequirementSchema: Schema = {
  type: 'object',
  description:
    'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
  required: ['key', 'operator'],
  properties: {
    key: string('key is the label key that the selector applies to.'),
    operator: string(
      "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.",
    ),
    values: {
      type: 'array',
      items: { type: 'string' },
      'x-kubernetes-list-type': 'atomic',
      description:
        'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. This array is replaced during a strategic merge patch.',
    },
  },
};

/** metav1.LabelSelector: atomic, with atomic lists. */
export const labelSelectorSchema: Schema = {
  type: 'object',
  description:
    'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
  properties: {
    matchExpressions: {
      type: 'array',
      items: labelSelectorRequirementSchema,
      'x-kubernetes-list-type': 'atomic',
      description: 'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
    },
    matchLabels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description:
        'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.',
    },
  },
  'x-kubernetes-map-type': 'atomic',
};

/** metav1.OwnerReference: atomic. */
export const ownerReferenceSchema: Schema = {
  type: 'object',
  description:
    'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
  required: ['apiVersion', 'kind', 'name', 'uid'],
  properties: {
    apiVersion: string('API version of the referent.'),
    blockOwnerDeletion: {
      type: 'boolean',
      description:
        'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed. See https://kubernetes.io/docs/concepts/architecture/garbage-collection/#foreground-deletion for how the garbage collector interacts with this field and enforces the foreground deletion. Defaults to false. To set this field, a user needs "delete" permission of the owner, otherwise 422 (Unprocessable Entity) will be returned.',
    },
    controller: {
      type: 'boolean',
      description: 'If true, this reference points to the managing controller.',
    },
    kind: string(
      'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
    ),
    name: string(
      'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
    ),
    uid: string(
      'UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids',
    ),
  },
  'x-kubernetes-map-type': 'atomic',
};

/**
 * ObjectMeta embedded below the root (a pod-template-like `template.metadata`): the fields
 * controller-gen keeps with `generateEmbeddedObjectMeta` (name, namespace, labels, annotations,
 * finalizers). Root `metadata` (and that of `@embeddedResource` values) is `{type: object}`:
 * the API server validates it itself.
 */
export const embeddedObjectMetaSchema: Schema = {
  type: 'object',
  properties: {
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    name: { type: 'string' },
    namespace: { type: 'string' },
  },
};
