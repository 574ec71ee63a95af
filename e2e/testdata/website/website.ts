/**
 * The web.example.com/v1 Website API: a static page its controller renders into a
 * ConfigMap. (Written over the types file `kubeforge create api` scaffolds: the "edit the
 * types" step of the getting-started guide.)
 */
import type { Condition, ObjectMeta, int64 } from '@kubeforge/runtime/api';

/** What a Website serves. */
export interface WebsiteSpec {
  /**
   * The page title.
   * @minLength 1
   * @maxLength 100
   */
  title: string;

  /**
   * The page body (HTML).
   * @maxLength 10000
   */
  body: string;
}

/** What the controller last did for a Website. */
export interface WebsiteStatus {
  /** Name of the ConfigMap holding the rendered page. */
  configMap?: string;

  /** The `metadata.generation` this status describes. */
  observedGeneration?: int64;

  /**
   * `Ready` is `True` once the ConfigMap matches the spec.
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
}

/**
 * A static website served from a ConfigMap.
 *
 * @resource
 * @subresource status
 * @shortName ws
 * @printColumn name=Title type=string jsonPath=.spec.title
 * @printColumn name=ConfigMap type=string jsonPath=.status.configMap
 * @printColumn name=Ready type=string jsonPath='.status.conditions[?(@.type=="Ready")].status'
 * @printColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 */
export interface Website {
  apiVersion?: 'web.example.com/v1';
  kind?: 'Website';
  metadata: ObjectMeta;
  spec: WebsiteSpec;
  status?: WebsiteStatus;
}
