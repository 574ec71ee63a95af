/**
 * What both versions of the sample controller share, as client-go's sample-controller has it:
 * the Deployment a Foo wants (`newDeployment`) and the Events it records.
 */
import { setControllerReference } from '@kubeforge/runtime';
import type { Deployment } from '@kubeforge/api/apps/v1';
import type { Foo } from '../generated/samplecontroller.kubeforge.dev/v1alpha1/foo.ts';

/** Event reasons and messages, as in client-go's sample-controller. */
export const SUCCESS_SYNCED = 'Synced';
export const ERR_RESOURCE_EXISTS = 'ErrResourceExists';
export const MESSAGE_RESOURCE_SYNCED = 'Foo synced successfully';
export const messageResourceExists = (name: string): string =>
  `Resource ${JSON.stringify(name)} already exists and is not managed by Foo`;

/**
 * The Deployment a Foo wants: `spec.replicas` nginx pods, labelled with the Foo's name and
 * controlled by the Foo, so its changes (and its deletion) reach the Foo's controller.
 */
export function newDeployment(foo: Foo): Deployment {
  const labels = { app: 'nginx', controller: foo.metadata.name ?? '' };
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: foo.spec.deploymentName, namespace: foo.metadata.namespace ?? '' },
    spec: {
      replicas: foo.spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }] },
      },
    },
  };
  return setControllerReference(foo, deployment);
}
