import type { int32, ObjectMeta } from '@kubeforge/runtime/api';

/**
 * Resource markers that name fields or the CRD's own metadata, misused.
 * @resource
 * @selectableField .spec.missing
 * @selectableField .metadata.labels
 * @selectableField .spec.sizes[0]
 * @selectableField .spec.shape
 * @selectableField .spec.size
 * @selectableField .spec.size
 * @selectableField .spec.sizes
 * @selectableField spec.name
 * @crdLabel app=has spaces
 * @crdLabel -bad-key=x
 * @crdLabel tier=this-value-is-far-too-long-for-a-label-value-it-has-more-than-sixty-three-characters
 * @crdAnnotation no-equals-sign
 * @crdAnnotation owner=a
 * @crdAnnotation owner=b
 */
export interface Gizmo {
  metadata: ObjectMeta;
  spec: GizmoSpec;
}

export interface GizmoSpec {
  size: int32;
  sizes: int32[];
  shape: { sides: int32 };
  /** @maxDescriptionLength short */
  described?: { note?: string };
}

/**
 * Resource markers on a base have no effect on the resource extending it.
 * @printColumn name=Size type=integer jsonPath=.spec.size
 * @shortName gb
 */
export interface GizmoBase {
  metadata: ObjectMeta;
}

/** @resource */
export interface Gadgetry extends GizmoBase {
  spec: { size?: int32 };
}
