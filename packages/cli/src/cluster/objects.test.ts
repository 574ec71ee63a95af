import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliError } from '../errors.ts';
import { applyOrder, deleteOrder, parseObjects, toYamlStream } from './objects.ts';

const stream = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: ns}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: websites.web.example.com}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns}
---
`;

test('namespaces and CRDs are applied first, the rest keeps its rendered order', () => {
  const kinds = applyOrder(parseObjects(stream, 'test')).map((o) => o.kind);
  assert.deepEqual(kinds, ['Namespace', 'CustomResourceDefinition', 'Deployment', 'ClusterRoleBinding']);
});

test('deletion goes in the reverse order', () => {
  const kinds = deleteOrder(parseObjects(stream, 'test')).map((o) => o.kind);
  assert.deepEqual(kinds, ['ClusterRoleBinding', 'Deployment', 'CustomResourceDefinition', 'Namespace']);
});

test('a stream round-trips through parse and write', () => {
  const objects = parseObjects(stream, 'test');
  assert.deepEqual(parseObjects(toYamlStream(objects), 'again'), objects);
});

test('a document that is not an object is an error naming the source', () => {
  assert.throws(
    () => parseObjects('apiVersion: v1\nkind: ConfigMap\n', 'config/default'),
    (err: unknown) => err instanceof CliError && err.message.includes('config/default holds a document'),
  );
});
