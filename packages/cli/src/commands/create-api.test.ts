import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Project } from '../project/project-file.ts';
import { defaultShortName, planCreateApi, samplesKustomization, validateApi } from './create-api.ts';

const project: Project = {
  root: '/nowhere',
  file: {
    version: 1,
    name: 'op',
    domain: 'example.com',
    resources: [
      {
        group: 'web.example.com',
        version: 'v1',
        kind: 'Website',
        plural: 'websites',
        scope: 'Namespaced',
        path: 'src/apis/web.example.com/v1/website.ts',
        controller: true,
      },
    ],
    imports: [],
  },
};

test('a short group gets the project domain; a dotted group is taken as it is', () => {
  assert.equal(
    validateApi(project, { group: 'shop', version: 'v1', kind: 'Cart', scope: 'Namespaced' }).group,
    'shop.example.com',
  );
  assert.equal(
    validateApi(project, { group: 'shop.acme.io', version: 'v1', kind: 'Cart', scope: 'cluster' }).group,
    'shop.acme.io',
  );
});

test('scope is case-insensitive', () => {
  assert.equal(
    validateApi(project, { group: 'shop', version: 'v1', kind: 'Cart', scope: 'cluster' }).scope,
    'Cluster',
  );
});

test('the same kind at another version points at multi-version types', () => {
  assert.throws(
    () => validateApi(project, { group: 'web', version: 'v2', kind: 'Website', scope: 'Namespaced' }),
    (err: Error & { hint?: string }) =>
      err.message.includes('at version v1') && (err.hint ?? '').includes('@storageVersion'),
  );
});

test('default short names are initials of multi-word kinds that do not shadow built-ins', () => {
  assert.equal(defaultShortName('BackupSchedule'), 'bs');
  assert.equal(defaultShortName('Website'), '');
  assert.equal(defaultShortName('ConfigMirror'), '', '"cm" is ConfigMap');
});

test('create api plans the types file, a sample, the samples kustomization and the project file', () => {
  const api = validateApi(project, {
    group: 'shop',
    version: 'v1alpha1',
    kind: 'OrderBook',
    scope: 'Cluster',
  });
  const { files, resource } = planCreateApi(project, api, false);
  assert.deepEqual(
    files.map((f) => [f.path, f.mode]),
    [
      ['src/apis/shop.example.com/v1alpha1/order-book.ts', 'create'],
      ['config/samples/shop.example.com_v1alpha1_orderbook.yaml', 'create'],
      ['config/samples/kustomization.yaml', 'update'],
      ['kubeforge.json', 'update'],
    ],
  );
  assert.equal(resource.controller, false);
  const types = files[0]?.contents ?? '';
  assert.match(types, /^ \* @scope Cluster$/m);
  assert.match(types, /^ \* @shortName ob$/m);
  assert.match(types, /^export interface OrderBook \{$/m);
  assert.match(types, /apiVersion\?: 'shop\.example\.com\/v1alpha1';/);
});

test('the samples kustomization lists every kind, sorted', () => {
  assert.equal(
    samplesKustomization([
      { group: 'web.example.com', version: 'v1', kind: 'Website' },
      { group: 'platform.example.com', version: 'v1alpha1', kind: 'Tenant' },
    ]),
    '# Example objects, one per kind; `kubectl apply -k config/samples` creates them.\n' +
      'resources:\n  - platform.example.com_v1alpha1_tenant.yaml\n  - web.example.com_v1_website.yaml\n',
  );
});
