import type { ObjectMeta } from '@kubeforge/runtime/api';

/** @resource */
export interface Gadget {
  metadata: ObjectMeta;
  spec: { size: string };
}
