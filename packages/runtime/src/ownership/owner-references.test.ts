import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import {
  getControllerOf,
  isControlledBy,
  OwnershipError,
  removeOwnerReference,
  setControllerReference,
  setOwnerReference,
} from './owner-references.ts';

const owner = (name = 'foo', uid = 'uid-foo', namespace = 'ns'): KubeObject => ({
  apiVersion: 'samples.kubeforge.dev/v1',
  kind: 'Foo',
  metadata: { name, uid, namespace },
});
const child = (namespace = 'ns'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'child', namespace },
});

test('setControllerReference adds a controller reference that blocks owner deletion', () => {
  const c = setControllerReference(owner(), child());
  assert.deepEqual(c.metadata.ownerReferences, [
    {
      apiVersion: 'samples.kubeforge.dev/v1',
      kind: 'Foo',
      name: 'foo',
      uid: 'uid-foo',
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  assert.equal(isControlledBy(c, owner()), true);
});

test('setting the same controller again updates the reference instead of duplicating it', () => {
  const c = setControllerReference(owner(), child());
  setControllerReference({ ...owner(), apiVersion: 'samples.kubeforge.dev/v2' }, c);
  const refs = c.metadata.ownerReferences ?? [];
  assert.equal(refs.length, 1);
  assert.equal(refs[0]?.apiVersion, 'samples.kubeforge.dev/v2');
});

test('a second controller owner is refused', () => {
  const c = setControllerReference(owner('first', 'u1'), child());
  assert.throws(
    () => setControllerReference(owner('second', 'u2'), c),
    (err: unknown) =>
      err instanceof OwnershipError && err.reason === 'AlreadyOwned' && err.message.includes('Foo first'),
  );
  assert.equal(getControllerOf(c)?.name, 'first');
});

test('setOwnerReference adds a non-controlling owner beside the controller', () => {
  const c = setControllerReference(owner('first', 'u1'), child());
  setOwnerReference(owner('second', 'u2'), c);
  assert.deepEqual(
    c.metadata.ownerReferences?.map((r) => [r.name, r.controller === true]),
    [
      ['first', true],
      ['second', false],
    ],
  );
});

test('owner references cannot cross namespaces or make a namespaced owner own a cluster-scoped object', () => {
  assert.throws(
    () => setControllerReference(owner(), child('other')),
    (e: unknown) => e instanceof OwnershipError && e.reason === 'CrossNamespace',
  );
  assert.throws(
    () => setControllerReference(owner(), { kind: 'Node', metadata: { name: 'cluster-scoped' } }),
    (e: unknown) => e instanceof OwnershipError && e.reason === 'ClusterScopedDependent',
  );
  // A cluster-scoped owner may own namespaced objects.
  const clusterOwner: KubeObject = {
    apiVersion: 'samples.kubeforge.dev/v1',
    kind: 'ClusterFoo',
    metadata: { name: 'c', uid: 'u3' },
  };
  assert.doesNotThrow(() => setControllerReference(clusterOwner, child('any')));
});

test('an owner without uid or kind is refused with a hint', () => {
  assert.throws(
    () => setControllerReference({ metadata: { name: 'foo', namespace: 'ns' } }, child()),
    (e: unknown) =>
      e instanceof OwnershipError &&
      e.reason === 'IncompleteOwner' &&
      e.message.includes('apiVersion, kind, uid'),
  );
});

test('removeOwnerReference removes by group, kind and name', () => {
  const c = setOwnerReference(owner(), child());
  assert.equal(removeOwnerReference(owner(), c), true);
  assert.deepEqual(c.metadata.ownerReferences, []);
  assert.equal(removeOwnerReference(owner(), c), false);
});
