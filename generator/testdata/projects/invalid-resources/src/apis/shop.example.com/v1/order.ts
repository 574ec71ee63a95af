import type { int32, ObjectMeta } from '@kubeforge/runtime/api';

export interface OrderSpec {
  items: string[];
  replicas: string;
}

/**
 * Types are fine; the resource markers are not.
 * @resource
 * @subresource status
 * @subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.ready labelSelectorPath=.spec.items
 * @printColumn name=Items type=string jsonPath=.spec.itemz
 * @printColumn name=Items type=integer jsonPath=.spec.items
 */
export interface Order {
  apiVersion?: 'shop.example.com/v2';
  kind?: 'Purchase';
  metadata: ObjectMeta;
  spec: OrderSpec;
  status: { ready?: int32 };
}

/**
 * A second kind that claims the same plural.
 * @resource
 * @plural orders
 * @subresource status
 */
export interface Purchase {
  metadata: ObjectMeta;
  spec: { total: int32 };
}
