import type { Condition, ObjectMeta } from '@kubeforge/runtime/api';

/**
 * A kind whose camelCase name is a reserved word.
 * @resource
 * @subresource status
 */
export interface Default {
  metadata: ObjectMeta;
  spec: { rules: string[] };
  status?: { conditions?: Condition[]; observedGeneration?: number };
}
