import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * A kind without a status.
 * @resource
 */
export interface Widget {
  apiVersion: 'edge.example.com/v1';
  kind: 'Widget';
  metadata: ObjectMeta;
  spec: { size: number };
}
