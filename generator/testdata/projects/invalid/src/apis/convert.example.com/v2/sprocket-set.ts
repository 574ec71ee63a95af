import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * @resource
 * @conversion spoke
 */
export interface SprocketSet {
  metadata: ObjectMeta;
  spec: { sprockets: string[] };
}
