import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * @resource
 * @storageVersion
 */
export interface Doohickey {
  metadata: ObjectMeta;
  spec: { size: string };
}
