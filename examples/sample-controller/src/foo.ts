/**
 * The Foo kind and the logic both versions of the sample controller share: what ConfigMap a
 * Foo wants, and the messages client-go's sample-controller records as Events.
 */
import type { KubeObject, ResourceDescriptor } from '@kubeforge/runtime/api';
import { setControllerReference } from '@kubeforge/runtime';
import { fileURLToPath } from 'node:url';

export const FOO_CRD = fileURLToPath(new URL('../foo-crd.yaml', import.meta.url));

export interface Foo extends KubeObject {
  spec: { configMapName: string; replicas: number };
  status?: { replicas?: number };
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export const fooResource: ResourceDescriptor = {
  group: 'samplecontroller.kubeforge.dev',
  version: 'v1alpha1',
  kind: 'Foo',
  plural: 'foos',
  namespaced: true,
};

export const configMapResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};

/** Event reasons and messages, as in client-go's sample-controller. */
export const SUCCESS_SYNCED = 'Synced';
export const ERR_RESOURCE_EXISTS = 'ErrResourceExists';
export const MESSAGE_RESOURCE_SYNCED = 'Foo synced successfully';
export const messageResourceExists = (name: string): string =>
  `Resource ${JSON.stringify(name)} already exists and is not managed by Foo`;

/** The ConfigMap a Foo wants, controlled by the Foo (so its events reach the Foo's controller). */
export function newConfigMap(foo: Foo): ConfigMap {
  const configMap: ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: foo.spec.configMapName,
      namespace: foo.metadata.namespace ?? '',
      labels: { app: 'sample', controller: foo.metadata.name ?? '' },
    },
    data: { replicas: String(foo.spec.replicas) },
  };
  return setControllerReference(foo, configMap);
}

export function replicasOf(configMap: ConfigMap): number {
  return Number(configMap.data?.replicas ?? '0');
}
