/**
 * An operator's credentials inside a Pod, on the real API server: a ServiceAccount token from
 * the TokenRequest API, laid out as the kubelet mounts it, read by `loadKubeConfig()`; its
 * requests carry only what the roles grant, and a denial names the missing permission.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createServiceAccountIdentity,
  startControlPlane,
  type ControlPlane,
  type ServiceAccountIdentity,
} from '@kubeforge/testing';
import { configMapResource } from '../testdata/gadgets.ts';
import { createResourceClient } from './create-resource-client.ts';
import { ApiError } from './errors.ts';
import { loadKubeConfig } from './kube-config.ts';

const manifests = `
apiVersion: v1
kind: ServiceAccount
metadata: { name: controller-manager, namespace: ops }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: ops-reader }
rules:
  - apiGroups: ['']
    resources: [configmaps]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ops-reader }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ops-reader }
subjects: [{ kind: ServiceAccount, name: controller-manager, namespace: ops }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: controller-manager, namespace: ops }
`;

let cp: ControlPlane;
let identity: ServiceAccountIdentity;

before(async () => {
  cp = await startControlPlane();
  identity = await createServiceAccountIdentity(cp.kubeConfig, { manifests });
});

after(async () => {
  identity.cleanup();
  await cp.stop();
});

test('the identity applies the accounts and roles, creating their namespace, and skips the rest', () => {
  assert.deepEqual(identity.applied, [
    'Namespace ops',
    'ServiceAccount ops/controller-manager',
    'ClusterRole ops-reader',
    'ClusterRoleBinding ops-reader',
  ]);
  assert.deepEqual(identity.skipped, ['Deployment controller-manager (manifests#4)']);
  assert.equal(identity.username, 'system:serviceaccount:ops:controller-manager');
});

test('loadKubeConfig reads the mounted-token layout and the granted verbs succeed', async () => {
  const kubeConfig = loadKubeConfig({ ...identity.env });
  assert.equal(
    kubeConfig.getCurrentCluster()?.server,
    new URL(cp.kubeConfig.getCurrentCluster()!.server).origin,
  );
  const configMaps = createResourceClient(kubeConfig, configMapResource);
  const list = await configMaps.list({ namespace: 'default' });
  assert.ok(Array.isArray(list.items));
});

test('a verb the roles do not grant fails with the verb, the resource and the marker to add', async () => {
  const configMaps = createResourceClient(loadKubeConfig({ ...identity.env }), configMapResource);
  await assert.rejects(
    configMaps.create({ metadata: { name: 'denied', namespace: 'default' } }),
    (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.reason, 'Forbidden');
      assert.match(
        error.message,
        /User "system:serviceaccount:ops:controller-manager" cannot create resource "configmaps" in API group "" in the namespace "default"/,
      );
      assert.match(error.message, /add `@rbac groups=core resources=configmaps verbs=create`/);
      return true;
    },
  );
});
