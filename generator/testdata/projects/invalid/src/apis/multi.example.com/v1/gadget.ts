import type { ObjectMeta } from '@kubeforge/runtime';

/** @resource */
export interface Gadget {
  metadata: ObjectMeta;
  spec: { size: string };
}
