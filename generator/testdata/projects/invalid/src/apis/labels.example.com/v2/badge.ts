import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * @resource
 * @storageVersion
 * @crdLabel tier=silver
 * @crdAnnotation example.com/owner=storage
 */
export interface Badge {
  metadata: ObjectMeta;
  spec: { size: string };
}
