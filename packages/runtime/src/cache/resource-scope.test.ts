import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceDescriptor } from '../api/index.ts';
import {
  coversNamespace,
  describeScope,
  informerScopes,
  normalizeScope,
  ScopeError,
  withDefaults,
} from './resource-scope.ts';

const configMaps: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};
const nodes: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  namespaced: false,
};

describe('resource scopes', () => {
  it('puts a scope in canonical form: sorted distinct namespaces, canonical selector', () => {
    assert.deepEqual(
      normalizeScope(configMaps, { namespaces: ['b', 'a', 'b'], labelSelector: 'z=1, a=2' }, 'test'),
      { namespaces: ['a', 'b'], labelSelector: 'a=2,z=1', fieldSelector: '' },
    );
    assert.deepEqual(normalizeScope(configMaps, { namespace: 'x' }, 'test').namespaces, ['x']);
    assert.equal(normalizeScope(configMaps, {}, 'test').namespaces, undefined);
  });

  it('rejects scopes that cannot be served, naming where they were declared', () => {
    const bad: [ResourceDescriptor, object, RegExp][] = [
      [
        configMaps,
        { namespace: 'a', namespaces: ['b'] },
        /here: scope of configmaps.v1: give either namespace or namespaces/,
      ],
      [configMaps, { namespaces: [] }, /namespaces is empty, which would cache nothing/],
      [configMaps, { namespaces: ['a', ''] }, /namespaces holds ""; every entry must be a namespace name/],
      [
        nodes,
        { namespaces: ['a'] },
        /Node is cluster-scoped and has no namespaces; remove namespaces \["a"\]/,
      ],
      [configMaps, { labelSelector: 'a in' }, /labelSelector: invalid label selector "a in"/],
    ];
    for (const [resource, scope, message] of bad) {
      assert.throws(
        () => normalizeScope(resource, scope, 'here'),
        (error: unknown) => error instanceof ScopeError && message.test(error.message),
        String(message),
      );
    }
  });

  it('takes the fields a declared scope leaves open from the defaults, namespaces only for namespaced kinds', () => {
    const defaults = { namespaces: ['a', 'b'], labelSelector: 'team=x' };
    assert.deepEqual(withDefaults(configMaps, { labelSelector: 'app=y' }, defaults), {
      namespaces: ['a', 'b'],
      labelSelector: 'app=y',
    });
    assert.deepEqual(withDefaults(configMaps, { namespace: 'c' }, defaults), {
      namespaces: ['c'],
      labelSelector: 'team=x',
    });
    assert.deepEqual(withDefaults(nodes, undefined, defaults), { labelSelector: 'team=x' });
  });

  it('is served by one informer per namespace, or one over every namespace', () => {
    const scope = normalizeScope(
      configMaps,
      { namespaces: ['a', 'b'], fieldSelector: 'metadata.name=n' },
      't',
    );
    assert.deepEqual(informerScopes(scope), [
      { fieldSelector: 'metadata.name=n', namespace: 'a' },
      { fieldSelector: 'metadata.name=n', namespace: 'b' },
    ]);
    assert.deepEqual(informerScopes(normalizeScope(configMaps, { labelSelector: 'a=1' }, 't')), [
      { labelSelector: 'a=1' },
    ]);
    assert.equal(coversNamespace(scope, 'a'), true);
    assert.equal(coversNamespace(scope, 'c'), false);
    assert.equal(coversNamespace(scope, undefined), false);
    assert.equal(describeScope(scope), 'namespaces "a", "b", fields metadata.name=n');
  });
});
