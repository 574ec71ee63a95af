// The package root re-exports the object model: the generator recognises it from either entry point.
import type { ObjectMeta } from '@kubeforge/runtime';

/**
 * A cluster-wide backup vault (retired version).
 * @resource
 * @scope Cluster
 * @plural vaults
 * @singular vault
 * @served false
 */
export interface Vault {
  metadata: ObjectMeta;
  spec: { url: string };
}
