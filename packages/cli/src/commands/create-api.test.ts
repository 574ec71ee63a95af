import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCliError } from '../errors.ts';
import type { Project, ProjectResource } from '../project/project-file.ts';
import { samplesKustomization } from '../scaffold/samples.ts';
import { planNewVersion, type ReadProjectFile } from './create-api-version.ts';
import { defaultShortName, planCreateApi, validateApi } from './create-api.ts';

const website: ProjectResource = {
  group: 'web.example.com',
  version: 'v1',
  kind: 'Website',
  plural: 'websites',
  scope: 'Namespaced',
  path: 'src/apis/web.example.com/v1/website.ts',
  controller: true,
};

const project: Project = {
  root: '/nowhere',
  file: { version: 1, name: 'op', domain: 'example.com', resources: [website], imports: [] },
};

/** A cluster-scoped kind with an irregular plural, at v1alpha1. */
const cluster: Project = {
  ...project,
  file: {
    ...project.file,
    resources: [
      {
        group: 'infra.example.com',
        version: 'v1alpha1',
        kind: 'Rack',
        plural: 'racken',
        scope: 'Cluster',
        path: 'src/apis/infra.example.com/v1alpha1/rack.ts',
        controller: false,
      },
    ],
  },
};

test('a short group gets the project domain; a dotted group is taken as it is', () => {
  assert.equal(
    validateApi(project, { group: 'shop', version: 'v1', kind: 'Cart', scope: undefined }).group,
    'shop.example.com',
  );
  assert.equal(
    validateApi(project, { group: 'shop.acme.io', version: 'v1', kind: 'Cart', scope: 'cluster' }).group,
    'shop.acme.io',
  );
});

test('scope is case-insensitive, and a new kind is namespaced unless told otherwise', () => {
  assert.equal(
    validateApi(project, { group: 'shop', version: 'v1', kind: 'Cart', scope: 'cluster' }).scope,
    'Cluster',
  );
  assert.equal(
    validateApi(project, { group: 'shop', version: 'v1', kind: 'Cart', scope: undefined }).scope,
    'Namespaced',
  );
});

test('the same kind at the same version is refused', () => {
  assert.throws(
    () => validateApi(project, { group: 'web', version: 'v1', kind: 'Website', scope: undefined }),
    (err) =>
      isCliError(err) &&
      err.reason === 'FileExists' &&
      err.message.includes(
        'already has Website in web.example.com/v1 (src/apis/web.example.com/v1/website.ts)',
      ),
  );
});

test('the same kind at a new version is a new version of it, with its scope and plural', () => {
  const api = validateApi(cluster, { group: 'infra', version: 'v1beta1', kind: 'Rack', scope: undefined });
  assert.equal(api.scope, 'Cluster');
  assert.equal(api.plural, 'racken');
  assert.deepEqual(
    api.existing.map((r) => r.version),
    ['v1alpha1'],
  );
  assert.equal(
    validateApi(cluster, { group: 'infra', version: 'v1beta1', kind: 'Rack', scope: 'cluster' }).scope,
    'Cluster',
  );
});

test('a new version with another scope than the kind is refused', () => {
  assert.throws(
    () => validateApi(cluster, { group: 'infra', version: 'v1', kind: 'Rack', scope: 'Namespaced' }),
    (err) =>
      isCliError(err) &&
      err.reason === 'InvalidArgument' &&
      err.message === '--scope Namespaced does not match Rack, which is Cluster at v1alpha1' &&
      (err.hint ?? '').includes('leave out --scope'),
  );
});

test('a new kind whose plural another kind uses is still refused', () => {
  const withCarts: Project = {
    ...project,
    file: { ...project.file, resources: [{ ...website, kind: 'Basket', plural: 'carts' }] },
  };
  assert.throws(
    () => validateApi(withCarts, { group: 'web', version: 'v2', kind: 'Cart', scope: undefined }),
    /Cart would use the resource name carts, which Basket already uses in web\.example\.com/,
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

/** Website's v1 types as `create api` writes them (abridged), without a storage marker. */
const websiteV1 = [
  '/**',
  ' * The web.example.com/v1 Website API.',
  ' */',
  "import type { ObjectMeta } from '@kubeforge/runtime/api';",
  "import type { Shared } from './shared.ts';",
  '',
  'export interface WebsiteSpec {',
  '  message: string;',
  '  shared?: Shared;',
  '}',
  '',
  '/**',
  ' * A Website.',
  ' *',
  ' * @resource',
  ' * @scope Namespaced',
  ' */',
  'export interface Website {',
  "  apiVersion?: 'web.example.com/v1';",
  "  kind?: 'Website';",
  '  metadata: ObjectMeta;',
  '  spec: WebsiteSpec;',
  '}',
  '',
].join('\n');

const websiteSample = [
  'apiVersion: web.example.com/v1',
  'kind: Website',
  'metadata:',
  '  name: website-sample',
  'spec:',
  '  message: hello',
  '',
].join('\n');

function reader(files: Readonly<Record<string, string>>): ReadProjectFile {
  return (path) => files[path];
}

test('a new version copies the only version, which gets @storageVersion and stays the storage version', () => {
  const api = validateApi(project, { group: 'web', version: 'v2', kind: 'Website', scope: undefined });
  const plan = planNewVersion(
    project,
    api,
    reader({ [website.path]: websiteV1, 'config/samples/web.example.com_v1_website.yaml': websiteSample }),
  );
  assert.deepEqual(
    plan.files.map((f) => [f.path, f.mode]),
    [
      ['src/apis/web.example.com/v1/website.ts', 'update'],
      ['src/apis/web.example.com/v2/website.ts', 'create'],
      ['config/samples/web.example.com_v2_website.yaml', 'create'],
      ['config/samples/kustomization.yaml', 'update'],
      ['kubeforge.json', 'update'],
    ],
  );
  assert.equal(plan.storageEdit?.path, website.path);
  assert.equal(plan.storage, website);
  const [v1, v2, sample, kustomization, projectFile] = plan.files.map((f) => f.contents);
  assert.equal(v1, websiteV1.replace(' * @resource\n', ' * @resource\n * @storageVersion\n'));
  assert.equal(
    v2,
    websiteV1
      .replaceAll('web.example.com/v1', 'web.example.com/v2')
      .replace("from './shared.ts'", "from '../v1/shared.ts'"),
  );
  assert.equal(sample, websiteSample.replace('/v1', '/v2').replace('website-sample', 'website-sample-v2'));
  assert.match(
    kustomization ?? '',
    /- web\.example\.com_v1_website\.yaml\n {2}- web\.example\.com_v2_website\.yaml\n$/,
  );
  const resources = (JSON.parse(projectFile ?? '') as Project['file']).resources;
  assert.deepEqual(
    resources.map((r) => [r.version, r.path, r.controller]),
    [
      ['v1', 'src/apis/web.example.com/v1/website.ts', true],
      ['v2', 'src/apis/web.example.com/v2/website.ts', false],
    ],
  );
});

test('a new version copies the marked storage version and leaves the markers alone', () => {
  const v2: ProjectResource = {
    ...website,
    version: 'v2',
    path: 'src/apis/web.example.com/v2/website.ts',
    controller: false,
  };
  const twoVersions: Project = { ...project, file: { ...project.file, resources: [website, v2] } };
  const v2Source = websiteV1
    .replaceAll('web.example.com/v1', 'web.example.com/v2')
    .replace(' * @resource\n', ' * @resource\n * @storageVersion\n');
  const api = validateApi(twoVersions, { group: 'web', version: 'v3', kind: 'Website', scope: undefined });
  const plan = planNewVersion(twoVersions, api, reader({ [website.path]: websiteV1, [v2.path]: v2Source }));
  assert.equal(plan.storageEdit, undefined);
  assert.equal(plan.storage, v2);
  const v3 = plan.files.find((f) => f.path === 'src/apis/web.example.com/v3/website.ts')?.contents ?? '';
  assert.match(v3, /apiVersion\?: 'web\.example\.com\/v3';/);
  assert.doesNotMatch(v3, /@storageVersion/);
  assert.ok(
    !plan.files.some((f) => f.path === website.path || f.path === v2.path),
    'no existing version is edited',
  );
  // Without the v2 sample on disk, the sample comes from the template.
  const sample = plan.files.find(
    (f) => f.path === 'config/samples/web.example.com_v3_website.yaml',
  )?.contents;
  assert.match(
    sample ?? '',
    /^apiVersion: web\.example\.com\/v3\nkind: Website\nmetadata:\n {2}name: website-sample-v3$/m,
  );
});

test('a new version is refused when the existing versions do not say which one is stored', () => {
  const v2: ProjectResource = {
    ...website,
    version: 'v2',
    path: 'src/apis/web.example.com/v2/website.ts',
    controller: false,
  };
  const twoVersions: Project = { ...project, file: { ...project.file, resources: [website, v2] } };
  const api = validateApi(twoVersions, { group: 'web', version: 'v3', kind: 'Website', scope: undefined });
  assert.throws(
    () => planNewVersion(twoVersions, api, reader({ [website.path]: websiteV1, [v2.path]: websiteV1 })),
    (err) =>
      isCliError(err) &&
      err.message === 'Website has versions v1, v2 and none marked @storageVersion; exactly one must be' &&
      (err.hint ?? '').startsWith('nothing was written'),
  );
});

test('a new version is refused when several versions are marked stored, naming their files', () => {
  const v2: ProjectResource = {
    ...website,
    version: 'v2',
    path: 'src/apis/web.example.com/v2/website.ts',
    controller: false,
  };
  const twoVersions: Project = { ...project, file: { ...project.file, resources: [website, v2] } };
  const marked = websiteV1.replace(' * @resource\n', ' * @resource\n * @storageVersion\n');
  const api = validateApi(twoVersions, { group: 'web', version: 'v3', kind: 'Website', scope: undefined });
  assert.throws(
    () => planNewVersion(twoVersions, api, reader({ [website.path]: marked, [v2.path]: marked })),
    (err) =>
      isCliError(err) &&
      err.message ===
        'Website has 2 versions marked @storageVersion (v1 in src/apis/web.example.com/v1/website.ts, v2 in src/apis/web.example.com/v2/website.ts); exactly one must keep it' &&
      (err.hint ?? '').startsWith(
        'nothing was written; keep @storageVersion on the version objects are stored in',
      ),
  );
});

test('a new version is refused when the types file of a version is gone', () => {
  const api = validateApi(project, { group: 'web', version: 'v2', kind: 'Website', scope: undefined });
  assert.throws(
    () => planNewVersion(project, api, reader({})),
    (err) =>
      isCliError(err) &&
      err.reason === 'InvalidInput' &&
      err.message.startsWith(
        'src/apis/web.example.com/v1/website.ts (Website web.example.com/v1 in kubeforge.json)',
      ),
  );
});
