import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * Versions of one kind share one CRD: their CRD labels must agree.
 * @resource
 * @crdLabel tier=gold
 * @crdAnnotation example.com/owner=storage
 */
export interface Badge {
  metadata: ObjectMeta;
  spec: { size: string };
}
