import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createResourcePaths, groupVersionPath, withParam } from './request-path.ts';

const gadgets = {
  group: 'runtime.kubeforge.dev',
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  namespaced: true,
};
const nodes = { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false };

describe('resource paths', () => {
  test('the core group lives under /api, named groups under /apis', () => {
    assert.equal(groupVersionPath(nodes), '/api/v1');
    assert.equal(groupVersionPath(gadgets), '/apis/runtime.kubeforge.dev/v1');
  });

  test('a namespaced collection names its namespace, or spans all namespaces without one', () => {
    const paths = createResourcePaths(gadgets);
    assert.equal(paths.collection('prod'), '/apis/runtime.kubeforge.dev/v1/namespaces/prod/gadgets');
    assert.equal(paths.collection(undefined), '/apis/runtime.kubeforge.dev/v1/gadgets');
  });

  test('object paths append the name and an optional subresource', () => {
    const paths = createResourcePaths(gadgets);
    assert.equal(
      paths.object('prod', 'a', 'status'),
      '/apis/runtime.kubeforge.dev/v1/namespaces/prod/gadgets/a/status',
    );
    assert.equal(createResourcePaths(nodes).object(undefined, 'node-1'), '/api/v1/nodes/node-1');
  });

  test('names and namespaces are percent-encoded', () => {
    const paths = createResourcePaths(gadgets);
    assert.equal(
      paths.object('a b', 'x/y?z'),
      '/apis/runtime.kubeforge.dev/v1/namespaces/a%20b/gadgets/x%2Fy%3Fz',
    );
  });
});

describe('withParam', () => {
  test('starts the query with ? and continues it with &', () => {
    const path = withParam(withParam('/api/v1/pods', 'limit', 10), 'continue', 'abc');
    assert.equal(path, '/api/v1/pods?limit=10&continue=abc');
  });

  test('encodes values such as label selectors', () => {
    assert.equal(
      withParam('/p', 'labelSelector', 'app in (a,b),tier!=db'),
      '/p?labelSelector=app%20in%20(a%2Cb)%2Ctier!%3Ddb',
    );
  });

  test('skips undefined values and false booleans, writes true as "true"', () => {
    assert.equal(withParam(withParam('/p', 'x', undefined), 'force', false), '/p');
    assert.equal(withParam('/p', 'watch', true), '/p?watch=true');
  });
});
