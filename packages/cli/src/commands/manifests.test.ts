import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crdKustomization } from '../project/generation.ts';
import { applicableFiles, yamlStream } from './manifests.ts';

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

test('the printed manifests leave out the kustomize input of config/webhook', () => {
  const files = applicableFiles([
    { path: 'config/crd/bases/a.yaml', contents: 'kind: CustomResourceDefinition' },
    { path: 'config/rbac/role.yaml', contents: 'kind: ClusterRole' },
    { path: 'config/webhook/manifests.yaml', contents: 'kind: ValidatingWebhookConfiguration' },
    { path: 'config/webhook/kustomization.yaml', contents: 'kind: Component' },
  ]);
  assert.deepEqual(
    files.map((f) => f.path),
    ['config/crd/bases/a.yaml', 'config/rbac/role.yaml'],
  );
});
