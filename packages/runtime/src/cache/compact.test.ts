import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import { compactObject, StringInterner } from './compact.ts';

type Obj = KubeObject & { spec: { replicas: number } };

function serverObject(name: string): Obj {
  return {
    apiVersion: 'apps.example.com/v1',
    kind: 'Widget',
    metadata: {
      name,
      namespace: 'team-a',
      uid: `uid-${name}`,
      resourceVersion: '42',
      generation: 3,
      labels: { 'app.kubernetes.io/name': 'widget', tier: 'backend' },
      annotations: { 'example.com/note': 'hello' },
      finalizers: ['example.com/cleanup'],
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'uid-d', controller: true },
      ],
      managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: {} }],
    },
    spec: { replicas: 2 },
  };
}

describe('compactObject', () => {
  it('drops managedFields and keeps everything else equal, in the same field order', () => {
    const input = serverObject('a');
    const compacted = compactObject(input);
    const { managedFields: _dropped, ...metadata } = input.metadata;
    assert.deepEqual(compacted, { ...input, metadata });
    assert.deepEqual(Object.keys(compacted.metadata), Object.keys(metadata));
    assert.deepEqual(Object.keys(compacted), Object.keys(input));
  });

  it('keeps managedFields when asked', () => {
    const input = serverObject('a');
    assert.deepEqual(compactObject(input, { keepManagedFields: true }), input);
  });

  it('never mutates its input and shares spec and status with it', () => {
    const input = serverObject('a');
    const before = structuredClone(input);
    const compacted = compactObject(input);
    assert.deepEqual(input, before);
    assert.notEqual(compacted, input);
    assert.notEqual(compacted.metadata, input.metadata);
    assert.equal(compacted.spec, input.spec);
  });

  it('keeps a __proto__ label a plain own property', () => {
    const input = serverObject('a');
    const labels = JSON.parse('{"__proto__":"x","ok":"y"}') as Record<string, string>;
    const compacted = compactObject({ ...input, metadata: { ...input.metadata, labels } });
    assert.deepEqual(Object.keys(compacted.metadata.labels), ['__proto__', 'ok']);
    assert.equal(Object.getPrototypeOf(compacted.metadata.labels), Object.prototype);
  });

  it('passes an object without metadata through', () => {
    const odd = { apiVersion: 'v1', kind: 'X' } as unknown as KubeObject;
    assert.equal(compactObject(odd), odd);
  });
});

describe('StringInterner', () => {
  it('holds one entry per distinct short string', () => {
    const interner = new StringInterner(10, 8);
    for (let i = 0; i < 100; i++) assert.equal(interner.intern(`ns-${String(i % 3)}`), `ns-${String(i % 3)}`);
    assert.equal(interner.size, 3);
    assert.equal(interner.intern('longer than eight'), 'longer than eight');
    assert.equal(interner.size, 3, 'long strings pass through');
  });

  it('starts over when full, so unique values cannot grow it without bound', () => {
    const interner = new StringInterner(4);
    for (let i = 0; i < 1000; i++) interner.intern(`uid-${String(i)}`);
    assert.ok(interner.size <= 4, `size ${String(interner.size)}`);
  });
});
