import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * v1 has `size`; v2 renamed it to `replicas` and nothing converts between them.
 * @resource
 * @storageVersion
 */
export interface Sprocket {
  metadata: ObjectMeta;
  spec: { size: number };
}
