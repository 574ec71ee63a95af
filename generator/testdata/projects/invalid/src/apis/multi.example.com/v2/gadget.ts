import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * @resource
 * @scope Cluster
 */
export interface Gadget {
  metadata: ObjectMeta;
  spec: { size: string };
}
