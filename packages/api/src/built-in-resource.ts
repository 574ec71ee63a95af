/**
 * The descriptor of a built-in kind: the runtime's `ResourceDescriptor`, tied to the kind's type,
 * plus what the server's discovery document says about it. Descriptors are generated from the
 * discovery documents of the release in `openapi/`, never written by hand, and are shared
 * constants: never mutate one.
 */
import type { KubeObject, ResourceDescriptor } from '@kubeforge/runtime/api';

/** A verb a resource may serve (discovery's `verbs`). */
export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface BuiltInResource<T extends KubeObject = KubeObject> extends ResourceDescriptor<T> {
  /** The lowercase singular name, e.g. `deployment`. */
  readonly singular: string;
  /** The verbs the server serves on the resource, sorted. */
  readonly verbs: readonly Verb[];
  /** kubectl's short names, e.g. `deploy`. */
  readonly shortNames: readonly string[];
  /** Subresources served under the object's path, e.g. `status`, `scale`, sorted. */
  readonly subresources: readonly string[];
}
