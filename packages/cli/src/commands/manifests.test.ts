import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crdKustomization } from '../project/generation.ts';
import { yamlStream } from './manifests.ts';

test('the YAML stream puts CRDs first and has no empty documents', () => {
  const stream = yamlStream([
    { path: 'config/rbac/role.yaml', contents: '# generated\n---\nkind: ClusterRole\n' },
    { path: 'config/crd/bases/b.yaml', contents: 'kind: B' },
    { path: 'config/crd/bases/a.yaml', contents: '# generated\n---\nkind: A\n' },
  ]);
  assert.equal(stream, '# generated\n---\nkind: A\n---\nkind: B\n# generated\n---\nkind: ClusterRole\n');
});

test('the CRD kustomization lists the bases, sorted', () => {
  assert.match(crdKustomization([]), /^resources: \[\]$/m);
  assert.match(
    crdKustomization([
      'config/crd/bases/web.example.com_websites.yaml',
      'config/crd/bases/a.example.com_as.yaml',
    ]),
    /resources:\n {2}- bases\/a\.example\.com_as\.yaml\n {2}- bases\/web\.example\.com_websites\.yaml\n$/,
  );
});
