import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, OwnerReference, ResourceDescriptor } from '../api/index.ts';
import { enqueueMapped, enqueueObject, enqueueOwner, groupOf } from './handlers.ts';

const foo: ResourceDescriptor = {
  group: 'samples.kubeforge.dev',
  version: 'v1',
  kind: 'Foo',
  plural: 'foos',
  namespaced: true,
};
const clusterFoo: ResourceDescriptor = {
  ...foo,
  kind: 'ClusterFoo',
  plural: 'clusterfoos',
  namespaced: false,
};

const child = (refs: OwnerReference[], namespace = 'ns'): KubeObject => ({
  metadata: { name: 'child', namespace, ownerReferences: refs },
});
const ref = (over: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: 'samples.kubeforge.dev/v1',
  kind: 'Foo',
  name: 'owner',
  uid: 'u1',
  controller: true,
  ...over,
});

test('enqueueOwner maps a child to its controller owner in the same namespace', () => {
  assert.deepEqual(enqueueOwner(foo)({ type: 'create', object: child([ref()]) }), [
    { namespace: 'ns', name: 'owner' },
  ]);
});

test('enqueueOwner matches the group at any version', () => {
  const requests = enqueueOwner(foo)({
    type: 'create',
    object: child([ref({ apiVersion: 'samples.kubeforge.dev/v2beta1' })]),
  });
  assert.equal(requests.length, 1);
});

test('enqueueOwner ignores other kinds, other groups and non-controller owners', () => {
  const refs = [
    ref({ kind: 'Bar' }),
    ref({ apiVersion: 'other.dev/v1' }),
    ref({ controller: false, name: 'plain-owner' }),
    ref({ controller: undefined as unknown as boolean, name: 'unset' }),
  ];
  assert.deepEqual(enqueueOwner(foo)({ type: 'create', object: child(refs) }), []);
  assert.deepEqual(
    enqueueOwner(foo, { anyOwner: true })({ type: 'create', object: child(refs) }).map((r) => r.name),
    ['plain-owner', 'unset'],
  );
});

test('enqueueOwner enqueues both the old and the new owner when an update moves a child', () => {
  const requests = enqueueOwner(foo)({
    type: 'update',
    oldObject: child([ref({ name: 'before' })]),
    newObject: child([ref({ name: 'after' })]),
  });
  assert.deepEqual(requests.map((r) => r.name).sort(), ['after', 'before']);
});

test('enqueueOwner gives cluster-scoped owners no namespace', () => {
  assert.deepEqual(
    enqueueOwner(clusterFoo)({
      type: 'delete',
      object: child([ref({ kind: 'ClusterFoo' })]),
      finalStateUnknown: true,
    }),
    [{ name: 'owner' }],
  );
});

test('enqueueObject names the object and deduplicates an update', () => {
  const o: KubeObject = { metadata: { name: 'a', namespace: 'ns' } };
  assert.deepEqual(enqueueObject({ type: 'update', oldObject: o, newObject: o }), [
    { namespace: 'ns', name: 'a' },
  ]);
  assert.deepEqual(enqueueObject({ type: 'create', object: { metadata: { name: 'c' } } }), [{ name: 'c' }]);
});

test('enqueueMapped applies the map function to old and new objects', () => {
  const map = enqueueMapped((o) => [{ namespace: 'ns', name: `for-${o.metadata.name ?? ''}` }]);
  const requests = map({
    type: 'update',
    oldObject: { metadata: { name: 'x' } },
    newObject: { metadata: { name: 'y' } },
  });
  assert.deepEqual(
    requests.map((r) => r.name),
    ['for-x', 'for-y'],
  );
});

test('groupOf splits apiVersion', () => {
  assert.equal(groupOf('apps/v1'), 'apps');
  assert.equal(groupOf('v1'), '');
});
