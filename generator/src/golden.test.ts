/**
 * Golden tests over the fixture projects in generator/testdata/projects: every marker and
 * type mapping, the exact diagnostics of the error fixture, determinism and incremental
 * re-parsing. Regenerate with UPDATE_GOLDEN=1.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  emitCrds,
  emitRbac,
  emitWebhooks,
  formatDiagnostics,
  generateManifests,
  loadProject,
  markerDefinitions,
  openProject,
  type OutputFile,
} from './index.ts';
import { assertGolden, fixtureDir, scratchDir } from './testing/index.ts';

function emitAll(projectDir: string): { files: OutputFile[]; diagnostics: string } {
  const { model, diagnostics } = loadProject({ projectDir });
  const deployment = { namespace: 'backup-system', namePrefix: 'backup-' };
  return {
    files: [...emitCrds(model), ...emitRbac(model), ...emitWebhooks(model, deployment)],
    diagnostics: formatDiagnostics(diagnostics),
  };
}

function sourcesOf(dir: string): string {
  return readdirSync(join(dir, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, 'src', f), 'utf8'))
    .join('\n');
}

describe('mappings fixture (more type mappings)', () => {
  const dir = fixtureDir('mappings');

  it('emits the golden CRD without diagnostics', () => {
    const { files, diagnostics } = emitAll(dir);
    assert.equal(diagnostics, '');
    for (const file of files) assertGolden(join(dir, '__golden__', file.path), file.contents);
  });
});

describe('inheritance fixture (markers through extends and intersections)', () => {
  const dir = fixtureDir('inheritance');

  it('emits the golden CRD without diagnostics', () => {
    const { files, diagnostics } = emitAll(dir);
    assert.equal(diagnostics, '');
    for (const file of files) assertGolden(join(dir, '__golden__', file.path), file.contents);
  });
});

describe('selectable fixture (selectableFields, CRD labels and annotations)', () => {
  const dir = fixtureDir('selectable');

  it('emits the golden CRD for Kubernetes 1.31 without diagnostics', () => {
    const { model, diagnostics } = loadProject({ projectDir: dir });
    assert.equal(formatDiagnostics(diagnostics), '');
    for (const file of emitCrds(model, { kubeVersion: '1.31' })) {
      assertGolden(join(dir, '__golden__', file.path), file.contents);
    }
  });

  it('leaves selectableFields out of CRDs for older targets, and says why', () => {
    const result = generateManifests({ projectDir: dir, kubeVersion: '1.29', check: true });
    assert.equal(result.write, undefined);
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.severity} ${d.code}`),
      ['error selectable-fields-unsupported'],
    );
    assert.match(result.diagnostics[0]?.hint ?? '', /--kube-version 1\.30 or generate\.kubeVersion/);
  });

  it('notes that Kubernetes 1.30 serves them behind a feature gate', () => {
    const result = generateManifests({ projectDir: dir, kubeVersion: '1.30', check: true });
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.severity} ${d.code}`),
      ['note selectable-fields-gated'],
    );
    assert.match(result.files[0]?.contents ?? '', /selectableFields:/);
  });
});

describe('backup-operator fixture (every marker and type mapping)', () => {
  const dir = fixtureDir('backup-operator');
  const first = emitAll(dir);

  it('parses without diagnostics', () => {
    assert.equal(first.diagnostics, '');
  });

  it('emits one CRD per kind, the role and the webhook manifests, matching the golden files', () => {
    assert.deepEqual(
      first.files.map((f) => f.path),
      [
        'config/crd/bases/backup.example.com_backupschedules.yaml',
        'config/crd/bases/storage.example.com_vaults.yaml',
        'config/rbac/role.yaml',
        'config/webhook/manifests.yaml',
        'config/webhook/service.yaml',
        'config/webhook/kustomizeconfig.yaml',
        'config/webhook/manager-patch.yaml',
        'config/webhook/kustomization.yaml',
        'config/webhook/cert-manager/certificate.yaml',
        'config/webhook/cert-manager/ca-injection-patch.yaml',
        'config/webhook/cert-manager/manager-patch.yaml',
        'config/webhook/cert-manager/kustomization.yaml',
        'config/webhook/built-in/rbac.yaml',
        'config/webhook/built-in/kustomization.yaml',
      ],
    );
    for (const file of first.files) assertGolden(join(dir, '__golden__', file.path), file.contents);
  });

  it('generates byte-identical output from a fresh load', () => {
    const second = emitAll(dir);
    assert.deepEqual(second.files, first.files);
  });

  it('uses every marker somewhere in the fixtures', () => {
    const sources = sourcesOf(dir) + sourcesOf(fixtureDir('invalid'));
    const unused = Object.keys(markerDefinitions).filter((name) => !new RegExp(`@${name}\\b`).test(sources));
    assert.deepEqual(unused, []);
  });
});

for (const fixture of ['invalid', 'invalid-resources']) {
  describe(`${fixture} fixture (diagnostics)`, () => {
    it('reports every problem with position, type path and hint', () => {
      const dir = fixtureDir(fixture);
      const { diagnostics } = loadProject({ projectDir: dir });
      assertGolden(join(dir, '__golden__', 'diagnostics.txt'), formatDiagnostics(diagnostics));
    });
  });
}

describe('a project with errors', () => {
  const dir = fixtureDir('invalid');

  it('touches no file when there are errors', () => {
    const copy = scratchDir('invalid');
    try {
      cpSync(dir, copy, { recursive: true });
      rmSync(join(copy, '__golden__'), { recursive: true, force: true });
      const result = generateManifests({ projectDir: copy });
      assert.equal(result.write, undefined);
      assert.deepEqual(result.files, []);
      assert.ok(result.diagnostics.some((d) => d.severity === 'error'));
      assert.equal(existsSync(join(copy, 'config')), false);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('generateManifests', () => {
  it('writes the files, then finds them up to date, and check mode reports edits as stale', () => {
    const copy = scratchDir('backup');
    try {
      cpSync(fixtureDir('backup-operator'), copy, { recursive: true });
      rmSync(join(copy, '__golden__'), { recursive: true, force: true });
      const session = openProject({ projectDir: copy });
      const written = generateManifests({ projectDir: copy, session });
      assert.equal(written.write?.written.length, 14);
      assert.deepEqual(
        written.crdSizes.map((s) => s.path),
        written.files.slice(0, 2).map((f) => f.path),
      );

      const again = generateManifests({ projectDir: copy, session, changedFiles: [] });
      assert.deepEqual(again.write?.written, []);
      assert.ok(again.write);
      assert.equal(again.write.unchanged.length, 14);

      const vault = join(copy, 'src/apis/storage.example.com/v1/vault.ts');
      writeFileSync(
        vault,
        readFileSync(vault, 'utf8').replace('readOnly?: boolean;', 'readOnly?: boolean;\n  region?: string;'),
      );
      const checked = generateManifests({ projectDir: copy, session, changedFiles: [vault], check: true });
      assert.deepEqual(checked.write?.stale, ['config/crd/bases/storage.example.com_vaults.yaml']);
      assert.match(checked.files[1]?.contents ?? '', /region:\n\s+type: string/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('rejects invalid options as diagnostics before touching anything', () => {
    const result = generateManifests({
      projectDir: fixtureDir('backup-operator'),
      kubeVersion: 'latest',
      maxDescriptionLength: -1,
      check: true,
    });
    assert.equal(result.write, undefined);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.code === 'invalid-option').map((d) => d.message),
      [
        'kubeVersion "latest" is not a Kubernetes minor version such as 1.30',
        'maxDescriptionLength -1 is not a non-negative integer (0 drops descriptions)',
      ],
    );
  });

  it('leaves CEL rules out, with a warning per version, when targeting Kubernetes before 1.25', () => {
    const result = generateManifests({
      projectDir: fixtureDir('backup-operator'),
      kubeVersion: '1.20',
      check: true,
    });
    assert.deepEqual(
      result.diagnostics.map((d) => `${d.code} ${d.path ?? ''}`),
      ['cel-unsupported BackupSchedule'],
    );
    assert.doesNotMatch(result.files[0]?.contents ?? '', /x-kubernetes-validations/);
  });

  it('picks up a kind added after the session was opened', () => {
    const copy = scratchDir('added');
    try {
      cpSync(fixtureDir('mappings'), copy, { recursive: true });
      rmSync(join(copy, '__golden__'), { recursive: true, force: true });
      const session = openProject({ projectDir: copy });
      assert.equal(session.load().model.kinds.length, 1);
      const added = join(copy, 'src/apis/mapping.example.com/v1/widget.ts');
      writeFileSync(
        added,
        "import type { ObjectMeta } from '@kubeforge/runtime/api';\n\n/** @resource */\nexport interface Widget {\n  metadata: ObjectMeta;\n  spec: { size: number };\n}\n",
      );
      const { model, diagnostics } = session.update([added]);
      assert.deepEqual(diagnostics, []);
      assert.deepEqual(
        model.kinds.map((k) => k.kind),
        ['Mapping', 'Widget'],
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('removes the CRD of a deleted kind', () => {
    const copy = scratchDir('prune');
    try {
      cpSync(fixtureDir('backup-operator'), copy, { recursive: true });
      rmSync(join(copy, '__golden__'), { recursive: true, force: true });
      const session = openProject({ projectDir: copy });
      generateManifests({ projectDir: copy, session });
      const deleted = [
        'src/apis/storage.example.com/v1/vault.ts',
        'src/apis/storage.example.com/v1beta1/vault.ts',
      ];
      for (const file of deleted) rmSync(join(copy, file));
      const result = generateManifests({ projectDir: copy, session, changedFiles: deleted });
      assert.deepEqual(result.write?.removed, ['config/crd/bases/storage.example.com_vaults.yaml']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
