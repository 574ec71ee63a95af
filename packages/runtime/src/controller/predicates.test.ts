import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import {
  and,
  annotationsChanged,
  generationChanged,
  labelsChanged,
  not,
  objectMatches,
  or,
  resourceVersionChanged,
  type ObjectEvent,
} from './predicates.ts';

const obj = (meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: { name: 'a', namespace: 'ns', resourceVersion: '1', generation: 1, ...meta },
});
const update = (a: KubeObject, b: KubeObject): ObjectEvent => ({
  type: 'update',
  oldObject: a,
  newObject: b,
});
const create: ObjectEvent = { type: 'create', object: obj() };
const del: ObjectEvent = { type: 'delete', object: obj(), finalStateUnknown: false };

test('generationChanged passes spec changes and drops status-only updates', () => {
  assert.equal(generationChanged(update(obj(), obj({ generation: 2, resourceVersion: '2' }))), true);
  assert.equal(generationChanged(update(obj(), obj({ resourceVersion: '2' }))), false);
});

test('built-in predicates let creates and deletes through', () => {
  for (const p of [generationChanged, labelsChanged, annotationsChanged, resourceVersionChanged]) {
    assert.equal(p(create), true);
    assert.equal(p(del), true);
  }
});

test('labelsChanged compares label maps by content, not identity or order', () => {
  assert.equal(
    labelsChanged(update(obj({ labels: { a: '1', b: '2' } }), obj({ labels: { b: '2', a: '1' } }))),
    false,
  );
  assert.equal(labelsChanged(update(obj({ labels: { a: '1' } }), obj({ labels: { a: '2' } }))), true);
  assert.equal(labelsChanged(update(obj(), obj({ labels: { a: '1' } }))), true);
  assert.equal(labelsChanged(update(obj({ labels: {} }), obj())), false);
});

test('annotationsChanged notices added, removed and changed annotations', () => {
  assert.equal(annotationsChanged(update(obj({ annotations: { x: '1' } }), obj())), true);
  assert.equal(
    annotationsChanged(update(obj({ annotations: { x: '1' } }), obj({ annotations: { x: '1' } }))),
    false,
  );
  assert.equal(
    annotationsChanged(update(obj({ annotations: { x: '1' } }), obj({ annotations: { y: '1' } }))),
    true,
  );
});

test('resourceVersionChanged drops resync notifications (same object twice)', () => {
  const o = obj();
  assert.equal(resourceVersionChanged(update(o, o)), false);
  assert.equal(resourceVersionChanged(update(o, obj({ resourceVersion: '9' }))), true);
});

test('or passes when any passes; and when all pass; not inverts', () => {
  const labelOnly = update(obj({ labels: { a: '1' } }), obj({ labels: { a: '2' }, resourceVersion: '2' }));
  assert.equal(or(generationChanged, labelsChanged)(labelOnly), true);
  assert.equal(and(generationChanged, labelsChanged)(labelOnly), false);
  assert.equal(not(generationChanged)(labelOnly), true);
  assert.equal(and()(labelOnly), true);
  assert.equal(or()(labelOnly), false);
});

test('objectMatches tests the new object of an update and the object of other events', () => {
  const managed = objectMatches((o) => o.metadata.labels?.managed === 'yes');
  assert.equal(managed(update(obj(), obj({ labels: { managed: 'yes' } }))), true);
  assert.equal(managed(update(obj({ labels: { managed: 'yes' } }), obj())), false);
  assert.equal(managed({ type: 'create', object: obj({ labels: { managed: 'yes' } }) }), true);
});

test('a custom predicate is any function over the event', () => {
  const onlyDeletes = (e: ObjectEvent): boolean => e.type === 'delete';
  assert.equal(and(onlyDeletes, not(generationChanged))(del), false);
  assert.equal(or(onlyDeletes, generationChanged)(del), true);
});
