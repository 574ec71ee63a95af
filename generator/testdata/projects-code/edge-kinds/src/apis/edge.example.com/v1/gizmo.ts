import type { ObjectMeta } from '@kubeforge/runtime/api';

export interface GizmoStatus {
  phase: 'Pending' | 'Ready';
  observedGeneration?: number;
}

/**
 * A cluster-scoped kind whose status has a required field and no status subresource.
 * @resource
 * @scope Cluster
 */
export interface Gizmo {
  metadata: ObjectMeta;
  spec: { color?: string };
  status?: GizmoStatus;
}
