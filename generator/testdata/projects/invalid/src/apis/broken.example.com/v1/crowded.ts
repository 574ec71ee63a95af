import type { ObjectMeta, int32 } from '@kubeforge/runtime/api';

/**
 * A kind whose markers share lines with other text.
 * @resource
 */
export interface Crowded {
  metadata: ObjectMeta;
  spec: CrowdedSpec;
}

export interface CrowdedSpec {
  /** @minimum 0 @maximum 100 */
  percent: int32;
  /**
   * The page body. @maxLength 10000
   */
  body: string;
  /** @default light @minLength 1 @maxLength 10 */
  theme: string;
  /** Names the @minimum marker in prose, which is fine. */
  prose: int32;
}
