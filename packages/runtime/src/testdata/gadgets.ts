/**
 * Test fixtures: TypeScript types and resource descriptors matching the CRDs in this folder
 * (`gadgets.crd.yaml`, `clustergadgets.crd.yaml`). Shared by runtime tests; not exported.
 */
import { fileURLToPath } from 'node:url';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';

export const GADGETS_CRD = fileURLToPath(new URL('./gadgets.crd.yaml', import.meta.url));
export const CLUSTER_GADGETS_CRD = fileURLToPath(new URL('./clustergadgets.crd.yaml', import.meta.url));
/** Both CRD files, for `installCRDs(kubeConfig, TEST_CRDS)`. */
export const TEST_CRDS: readonly string[] = [GADGETS_CRD, CLUSTER_GADGETS_CRD];

export interface Gadget extends KubeObject {
  spec: {
    size: number;
    color?: 'red' | 'green' | 'blue';
    tags?: string[];
    settings?: Record<string, string>;
  };
  status?: {
    phase?: string;
    observedGeneration?: number;
    message?: string;
  };
}

export const gadgetResource = {
  group: 'runtime.kubeforge.dev',
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  namespaced: true,
} as const satisfies ResourceDescriptor;

export interface ClusterGadget extends KubeObject {
  spec: {
    region: string;
    capacity?: number;
  };
  status?: {
    ready?: boolean;
    observedGeneration?: number;
  };
}

export const clusterGadgetResource = {
  group: 'runtime.kubeforge.dev',
  version: 'v1',
  kind: 'ClusterGadget',
  plural: 'clustergadgets',
  namespaced: false,
} as const satisfies ResourceDescriptor;

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export const configMapResource = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
} as const satisfies ResourceDescriptor;
