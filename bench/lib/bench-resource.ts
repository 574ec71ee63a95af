/**
 * The resource every cluster scenario writes and watches: `BenchItem`, a tiny namespaced
 * custom resource with a status subresource. Small objects keep the API server, not the
 * payload, the bottleneck, so the client's own cost shows.
 */
import type { KubeObject, ResourceDescriptor } from '@kubeforge/runtime';
import type { CustomResourceDefinition } from '@kubeforge/testing';

export interface BenchItem extends KubeObject {
  spec: {
    value: number;
    /** Wall-clock time (ms since the epoch, fractional) at which the writer sent this version. */
    sentAt?: number;
  };
  status?: {
    observedValue?: number;
  };
}

export const benchItemResource = {
  group: 'bench.kubeforge.dev',
  version: 'v1',
  kind: 'BenchItem',
  plural: 'benchitems',
  namespaced: true,
} as const satisfies ResourceDescriptor;

export const benchItemCrd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${benchItemResource.plural}.${benchItemResource.group}` },
  spec: {
    group: benchItemResource.group,
    scope: 'Namespaced',
    names: { kind: 'BenchItem', listKind: 'BenchItemList', plural: 'benchitems', singular: 'benchitem' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['value'],
                properties: { value: { type: 'integer' }, sentAt: { type: 'number' } },
              },
              status: { type: 'object', properties: { observedValue: { type: 'integer' } } },
            },
          },
        },
      },
    ],
  },
};

export function collectionPath(namespace: string): string {
  return `/apis/${benchItemResource.group}/${benchItemResource.version}/namespaces/${namespace}/${benchItemResource.plural}`;
}

export function benchItem(namespace: string, name: string, value: number, sentAt?: number): BenchItem {
  return {
    apiVersion: `${benchItemResource.group}/${benchItemResource.version}`,
    kind: benchItemResource.kind,
    metadata: { name, namespace },
    spec: sentAt === undefined ? { value } : { value, sentAt },
  };
}

/** Object names `item-00000`, `item-00001`, ... so runs are reproducible and sort naturally. */
export function itemName(index: number): string {
  return `item-${String(index).padStart(5, '0')}`;
}

/** A Secret, for the metadata-only rows of the cache-fill scenario. */
export interface BenchSecret extends KubeObject {
  data?: Record<string, string>;
}

export const secretResource = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
} as const satisfies ResourceDescriptor<BenchSecret>;

export function secretsPath(namespace: string): string {
  return `/api/v1/namespaces/${namespace}/secrets`;
}

/** A Secret named `secret-NNNNN` holding `dataBytes` bytes of data (distinct per Secret). */
export function benchSecret(namespace: string, index: number, dataBytes: number): BenchSecret {
  const data = Buffer.alloc(dataBytes, index % 251);
  data.writeUInt32BE(index, 0);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `secret-${String(index).padStart(5, '0')}`, namespace },
    data: { payload: data.toString('base64') },
  };
}
