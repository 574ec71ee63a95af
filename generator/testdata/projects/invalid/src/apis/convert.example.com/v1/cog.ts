import type { ObjectMeta } from '@kubeforge/runtime/api';

/**
 * @resource
 * @storageVersion
 * @conversion hub
 * @defaulting verbs=create;delete
 * @validating failurePolicy=Never timeoutSeconds=60
 */
export interface Cog {
  metadata: ObjectMeta;
  spec: { teeth: number };
}
