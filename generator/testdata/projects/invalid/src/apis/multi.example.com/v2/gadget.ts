import type { ObjectMeta } from '@kubeforge/runtime';

/**
 * @resource
 * @scope Cluster
 */
export interface Gadget {
  metadata: ObjectMeta;
  spec: { size: string };
}
