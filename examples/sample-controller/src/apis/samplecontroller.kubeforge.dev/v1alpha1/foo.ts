/**
 * The samplecontroller.kubeforge.dev/v1alpha1 Foo API, as client-go's sample-controller
 * declares it in Go (`pkg/apis/samplecontroller/v1alpha1/types.go`): a Foo asks for a
 * Deployment and reports how many of its replicas are available. `kubeforge generate` turns
 * this file into `config/crd/bases/` and the typed client in `src/generated/`.
 */
import type { ObjectMeta, int32 } from '@kubeforge/runtime/api';

/** The Deployment a Foo wants. */
export interface FooSpec {
  /**
   * Name of the Deployment the Foo owns (in the Foo's namespace).
   * @minLength 1
   * @maxLength 253
   */
  deploymentName: string;

  /**
   * Replicas of the Deployment.
   * @minimum 0
   */
  replicas: int32;
}

/** What the controller last saw of the Deployment. */
export interface FooStatus {
  /** The Deployment's `status.availableReplicas`. */
  availableReplicas?: int32;
}

/**
 * A Foo: a Deployment of nginx with a given number of replicas.
 *
 * @resource
 * @subresource status
 * @printColumn name=Deployment type=string jsonPath=.spec.deploymentName
 * @printColumn name=Replicas type=integer jsonPath=.spec.replicas
 * @printColumn name=Available type=integer jsonPath=.status.availableReplicas
 * @printColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 */
export interface Foo {
  apiVersion?: 'samplecontroller.kubeforge.dev/v1alpha1';
  kind?: 'Foo';
  metadata: ObjectMeta;
  spec: FooSpec;
  status?: FooStatus;
}
