import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * @resource
 * @conversion hub
 * @validating sideEffects=Some
 */
export interface Cog {
  metadata: ObjectMeta;
  spec: { teeth: number; pitch?: string };
}
