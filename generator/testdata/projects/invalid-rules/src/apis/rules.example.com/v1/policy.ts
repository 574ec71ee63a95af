import type { int32, ObjectMeta } from '@kubeforge/runtime/api';

export interface Target {
  /** @maxLength 253 */
  name: string;
  port: int32;
}

/**
 * @validation rule="self.doesNotExist > 3 && size(self.name) == 'abc'"
 * @validation rule="size(self.name) == 'abc'"
 * @validation rule="self.replicas" message="not a bool"
 * @validation rule="self.replicas > 0" messageExpression="self.replicas"
 * @validation rule="self.replicas > 0" fieldPath=.nope
 * @validation rule="self.replicas > 0" optionalOldSelf=true
 * @validation rule="quantity(self.name).isInteger()"
 */
export interface PolicySpec {
  name: string;
  replicas: int32;
  /** @maxItems 16 */
  targets: Target[];
  /** @validation rule="self.all(x, x.contains('a string'))" */
  patterns: string[];
}

/**
 * A policy whose rules the API server would refuse.
 * @resource
 */
export interface Policy {
  metadata: ObjectMeta;
  spec: PolicySpec;
}
