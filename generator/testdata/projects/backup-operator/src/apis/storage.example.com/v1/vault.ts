import type { ObjectMeta } from '@kubeforge/runtime/api';

/** A local type named like the runtime's Condition: converted like any other interface. */
interface Condition {
  kind: string;
}

export interface VaultSpec {
  /** @format uri */
  url: string;
  /** @default false */
  readOnly?: boolean;
}

/**
 * A cluster-wide backup vault.
 * @resource
 * @scope Cluster
 * @plural vaults
 * @singular vault
 * @storageVersion
 * @conversion hub
 * @subresource status
 */
export interface Vault {
  metadata: ObjectMeta;
  spec: VaultSpec;
  status?: { phase?: 'Pending' | 'Ready'; conditions?: Condition[] };
}
