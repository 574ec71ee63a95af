import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * A newer Doohickey.
 *
 * @resource
 * @storageVersion
 */
export interface Doohickey {
  metadata: ObjectMeta;
  spec: { size: string };
}
