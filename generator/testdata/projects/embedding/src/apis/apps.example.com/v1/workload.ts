import type { ObjectMeta, int32 } from '@kubeforge/runtime/api';
import type {
  Affinity,
  Container,
  EnvVar,
  PodSpec,
  PodTemplateSpec,
  ResourceRequirements,
  ServicePort,
  Toleration,
} from '@kubeforge/api/core/v1';
import type { LabelSelector } from '@kubeforge/api/meta/v1';

/** A sidecar: an upstream container with one field of our own. */
export interface Sidecar extends Container {
  /** Whether the sidecar starts before the main containers. */
  startFirst?: boolean;
}

/** WorkloadSpec embeds built-in types the way operators do. */
export interface WorkloadSpec {
  /** @minimum 0 */
  replicas?: int32;
  selector: LabelSelector;
  /**
   * The pods this workload runs. Their labels and annotations are kept.
   * @validation rule="size(self.spec.containers) <= 4" message="at most 4 containers"
   */
  template: PodTemplateSpec;
  /** Compute resources of the main container. */
  resources?: ResourceRequirements;
  /**
   * Extra environment of every container.
   * @listType map
   * @listMapKey name
   */
  env?: EnvVar[];
  tolerations?: Toleration[];
  affinity?: Affinity;
  /**
   * Ports the workload's Service exposes.
   * @listType map
   * @listMapKey port
   * @listMapKey protocol
   * @maxItems 8
   */
  ports?: ServicePort[];
  sidecars?: Sidecar[];
  /** Only the scheduling part of a pod spec. */
  scheduling?: Pick<PodSpec, 'nodeSelector' | 'priorityClassName'>;
}

/**
 * A workload that embeds pod templates and other core/v1 types.
 * @resource
 */
export interface Workload {
  metadata: ObjectMeta;
  spec: WorkloadSpec;
}
