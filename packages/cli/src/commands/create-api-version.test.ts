import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Project, ProjectResource } from '../project/project-file.ts';
import { planNewVersion, versionAddedReport } from './create-api-version.ts';
import { validateApi } from './create-api.ts';

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

const websiteV1 = [
  "import type { ObjectMeta } from '@kubeforge/runtime/api';",
  '',
  '/**',
  ' * A Website.',
  ' *',
  ' * @resource',
  ' * @shortName ws',
  ' */',
  'export interface Website {',
  "  apiVersion?: 'web.example.com/v1';",
  '  metadata: ObjectMeta;',
  '  spec: { title: string };',
  '}',
  '',
].join('\n');

const nextSteps = [
  '',
  'Next steps:',
  '  edit src/apis/web.example.com/v2/website.ts (the v2 API), then run `npx kubeforge generate`',
  '  src/controllers/website.controller.ts still reconciles Website at v1; no second controller was scaffolded',
  '  npm run build',
  '',
  'hint: without a conversion webhook the API server converts between versions by changing only apiVersion, so all versions (v1, v2) must keep the same schema (generate refuses versions that differ); to change a schema, convert through v1:',
  '  npx kubeforge create webhook --group web.example.com --version v1 --kind Website --conversion',
];

test('the report shows the @storageVersion line added to the user types under "changed", after the files written', () => {
  const api = validateApi(project, { group: 'web', version: 'v2', kind: 'Website', scope: undefined });
  const plan = planNewVersion(project, api, (path) => (path === website.path ? websiteV1 : undefined));
  const written = [
    'src/apis/web.example.com/v2/website.ts',
    'config/samples/web.example.com_v2_website.yaml',
    website.path,
    'config/crd/bases/web.example.com_websites.yaml',
  ];
  assert.deepEqual(versionAddedReport(api, plan, written, 'src/controllers/website.controller.ts'), [
    'Added version v2 of Website (web.example.com, Namespaced), a copy of v1; v1 stays the storage version:',
    '  wrote src/apis/web.example.com/v2/website.ts',
    '  wrote config/samples/web.example.com_v2_website.yaml',
    '  wrote config/crd/bases/web.example.com_websites.yaml',
    '  changed src/apis/web.example.com/v1/website.ts:7 (your v1 types: a kind with several versions needs exactly one @storageVersion):',
    '      * @resource',
    '    + * @storageVersion',
    ...nextSteps,
  ]);
});

test('the report has no "changed" entry when the storage version was marked already', () => {
  const marked = websiteV1.replace(' * @resource\n', ' * @resource\n * @storageVersion\n');
  const api = validateApi(project, { group: 'web', version: 'v2', kind: 'Website', scope: undefined });
  const plan = planNewVersion(project, api, (path) => (path === website.path ? marked : undefined));
  const report = versionAddedReport(api, plan, ['src/apis/web.example.com/v2/website.ts'], undefined);
  assert.deepEqual(report.slice(0, 2), [
    'Added version v2 of Website (web.example.com, Namespaced), a copy of v1; v1 stays the storage version:',
    '  wrote src/apis/web.example.com/v2/website.ts',
  ]);
  assert.ok(!report.some((line) => line.includes('changed')));
});
