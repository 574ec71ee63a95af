import type { ObjectMeta } from '@kubeforge/runtime/api';

/** @resource */
export interface Sprocket {
  metadata: ObjectMeta;
  spec: { replicas: number };
}
