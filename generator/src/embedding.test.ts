/**
 * Built-in types embedded in API types (generator/testdata/projects/embedding): the CRDs are
 * golden files, and the schema of each embedded type is what controller-gen writes for the
 * Go type (crd:generateEmbeddedObjectMeta=true), with the user's field markers on top.
 * Regenerate with UPDATE_GOLDEN=1.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { emitCrds, formatDiagnostics, loadProject, openProject, type Schema } from './index.ts';
import { assertGolden, fixtureDir, scratchDir } from './testing/index.ts';
import { emittedValidationRule } from './model/index.ts';

function write(dir: string, file: string, contents: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), contents);
}

const dir = fixtureDir('embedding');
const { model, diagnostics } = loadProject({ projectDir: dir });

function specOf(kind: string): Schema {
  const spec = model.kinds.find((k) => k.kind === kind)?.versions[0]?.schema.properties?.spec;
  assert.ok(spec, `${kind} has no spec`);
  return spec;
}

/** The schema at a path of property names (`[]` steps into items). */
function at(schema: Schema | undefined, path: string): Schema | undefined {
  let current = schema;
  for (const step of path.split('.')) {
    if (current === undefined) return undefined;
    const properties: Readonly<Record<string, Schema | undefined>> = current.properties ?? {};
    current = step === '[]' ? current.items : properties[step];
  }
  return current;
}

describe('embedding built-in types (embedding fixture)', () => {
  it('parses without diagnostics and emits the golden CRDs', () => {
    assert.equal(formatDiagnostics(diagnostics), '');
    const files = emitCrds(model);
    assert.deepEqual(
      files.map((f) => f.path),
      [
        'config/crd/bases/apps.example.com_workloads.yaml',
        'config/crd/bases/batch.tutorial.kubebuilder.io_cronjobs.yaml',
      ],
    );
    for (const file of files) assertGolden(join(dir, '__golden__', file.path), file.contents);
  });

  it('writes the template ObjectMeta controller-gen writes with generateEmbeddedObjectMeta', () => {
    const metadata = at(specOf('Workload'), 'template.metadata');
    assert.deepEqual(Object.keys(metadata?.properties ?? {}).sort(), [
      'annotations',
      'finalizers',
      'labels',
      'name',
      'namespace',
    ]);
    const jobPodMetadata = at(specOf('CronJob'), 'jobTemplate.spec.template.metadata.labels');
    assert.deepEqual(jobPodMetadata, { type: 'object', additionalProperties: { type: 'string' } });
  });

  it('keeps upstream list types, required fields, int-or-string and explicit defaults', () => {
    const containers = at(specOf('Workload'), 'template.spec.containers');
    assert.equal(containers?.['x-kubernetes-list-type'], 'map');
    assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
    assert.deepEqual(containers.items?.required, ['name']);
    const port = at(specOf('Workload'), 'template.spec.containers.[].ports.[]');
    assert.deepEqual(port?.required, ['containerPort']);
    assert.equal(at(port, 'containerPort')?.default, undefined, 'openapi-gen zero defaults are not written');
    assert.equal(at(port, 'protocol')?.default, 'TCP', '+default markers are written');
    assert.equal(at(port, 'protocol')?.enum, undefined, '+enum is not written');
    const limits = at(specOf('Workload'), 'resources.limits');
    assert.equal(limits?.additionalProperties?.['x-kubernetes-int-or-string'], true);
    assert.ok(limits.additionalProperties.pattern);
    const tolerationSeconds = at(specOf('Workload'), 'tolerations.[].tolerationSeconds');
    assert.deepEqual(
      { type: tolerationSeconds?.type, format: tolerationSeconds?.format },
      { type: 'integer', format: 'int64' },
    );
    const terms = at(
      specOf('Workload'),
      'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms',
    );
    assert.equal(terms?.['x-kubernetes-list-type'], 'atomic');
    assert.equal(
      at(specOf('Workload'), 'env.[].valueFrom.secretKeyRef')?.['x-kubernetes-map-type'],
      'atomic',
    );
  });

  it('applies the field markers and the field description on top of an embedded type', () => {
    const template = at(specOf('Workload'), 'template');
    assert.equal(
      template?.description,
      'The pods this workload runs. Their labels and annotations are kept.',
    );
    assert.deepEqual(template['x-kubernetes-validations']?.map(emittedValidationRule), [
      { rule: 'size(self.spec.containers) <= 4', message: 'at most 4 containers' },
    ]);
    const ports = at(specOf('Workload'), 'ports');
    assert.equal(ports?.maxItems, 8);
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['port', 'protocol']);
    assert.equal(at(ports, '[].targetPort')?.['x-kubernetes-int-or-string'], true);
    const jobTemplate = at(specOf('CronJob'), 'jobTemplate');
    assert.equal(
      jobTemplate?.description,
      'Specifies the job that will be created when executing a CronJob.',
    );
    assert.ok(specOf('CronJob').required?.includes('jobTemplate'));
  });

  it('uses the type’s own description when the field has none', () => {
    const affinity = at(specOf('Workload'), 'affinity');
    assert.equal(affinity?.description, 'Affinity is a group of affinity scheduling rules.');
  });

  it('takes the upstream schema of fields a type gets through extends or Pick', () => {
    const sidecar = at(specOf('Workload'), 'sidecars.[]');
    assert.equal(sidecar?.description, 'A sidecar: an upstream container with one field of our own.');
    assert.equal(at(sidecar, 'startFirst')?.type, 'boolean');
    assert.equal(at(sidecar, 'ports')?.['x-kubernetes-list-type'], 'map');
    assert.deepEqual(sidecar.required, ['name']);
    const scheduling = at(specOf('Workload'), 'scheduling');
    assert.deepEqual(Object.keys(scheduling?.properties ?? {}).sort(), ['nodeSelector', 'priorityClassName']);
    assert.equal(at(scheduling, 'nodeSelector')?.['x-kubernetes-map-type'], 'atomic');
  });

  it('regenerates an edited kind incrementally in under 300 ms', () => {
    const session = openProject({ projectDir: dir });
    session.load();
    const file = join(dir, 'src/apis/apps.example.com/v1/workload.ts');
    const started = performance.now();
    const again = session.update([file]);
    const elapsed = performance.now() - started;
    assert.equal(formatDiagnostics(again.diagnostics), '');
    assert.ok(elapsed < 300, `incremental run took ${Math.round(elapsed)} ms`);
  });

  it('reports a type of @kubeforge/api without a schema at the field that uses it', () => {
    // A package named @kubeforge/api whose schemas lack one type and one module.
    const project = scratchDir('embedding-missing');
    const pkg = 'node_modules/@kubeforge/api';
    const exports = {
      './core/v1': { types: './dist/core/v1/index.d.ts' },
      './apps/v1': { types: './dist/apps/v1/index.d.ts' },
    };
    write(
      project,
      `${pkg}/package.json`,
      JSON.stringify({ name: '@kubeforge/api', type: 'module', exports }),
    );
    write(
      project,
      `${pkg}/dist/core/v1/index.d.ts`,
      'export interface Container { name: string }\nexport interface Helper { note: string }\n',
    );
    write(
      project,
      `${pkg}/dist/apps/v1/index.d.ts`,
      'export interface DeploymentSpec { paused?: boolean }\n',
    );
    write(
      project,
      `${pkg}/schemas/core/v1.json`,
      JSON.stringify({
        kubernetesVersion: 'v0.0.0',
        definitions: { Container: { type: 'object', properties: { name: { type: 'string' } } } },
      }),
    );
    write(
      project,
      'tsconfig.json',
      JSON.stringify({ compilerOptions: { module: 'NodeNext', strict: true } }),
    );
    write(
      project,
      'src/apis/x.example.com/v1/thing.ts',
      `import type { ObjectMeta } from '@kubeforge/runtime/api';
import type { Container, Helper } from '@kubeforge/api/core/v1';
import type { DeploymentSpec } from '@kubeforge/api/apps/v1';

/** @resource */
export interface Thing {
  metadata: ObjectMeta;
  spec: { container: Container; helper: Helper; deployment: DeploymentSpec };
}
`,
    );
    const loaded = loadProject({ projectDir: project });
    assert.deepEqual(
      loaded.diagnostics.map((d) => [d.code, d.path, d.line]),
      [
        ['builtin-schema-missing', 'Thing.spec.helper', 8],
        ['builtin-schema-missing', 'Thing.spec.deployment', 8],
      ],
    );
    assert.match(loaded.diagnostics[1]?.message ?? '', /no schemas for apps\/v1/);
  });
});
