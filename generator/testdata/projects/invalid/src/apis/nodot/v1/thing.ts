/**
 * A resource without metadata or spec, in a group without a dot.
 * @resource
 */
export interface Thing {
  name: string;
}

/** @resource */
interface Hidden {
  metadata: import('@kubeforge/runtime').ObjectMeta;
  spec: { a: string };
}
