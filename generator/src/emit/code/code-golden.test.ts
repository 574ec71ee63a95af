/**
 * Golden tests of the typed code and the controller scaffolds for the fixture projects of
 * generator/testdata/projects. Regenerate with UPDATE_GOLDEN=1 and review the diff.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProject } from '../../parse/index.ts';
import { assertGolden, fixtureDir, generatorDir } from '../../testing/index.ts';
import { renderTemplate, TemplateError } from '../../view-models/index.ts';
import type { OutputFile } from '../output-file.ts';
import { emitControllerScaffold } from '../scaffold/index.ts';
import { emitCode, generatedCodeHeader } from './index.ts';

const goldenDir = join(generatorDir, 'testdata', 'golden-code');

function emitAll(projectDir: string): OutputFile[] {
  const { model, diagnostics } = loadProject({ projectDir });
  assert.deepEqual(diagnostics, []);
  return [...emitCode(model), ...model.kinds.map(emitControllerScaffold)];
}

describe('typed code of the backup-operator fixture', () => {
  const files = emitAll(fixtureDir('backup-operator'));

  it('emits a module per kind and served version, the index, and a controller scaffold per kind', () => {
    assert.deepEqual(
      files.map((f) => [f.path, f.ownership]),
      [
        ['src/generated/backup.example.com/v1/backup-schedule.ts', 'generated'],
        ['src/generated/backup.example.com/v1alpha1/backup-schedule.ts', 'generated'],
        ['src/generated/storage.example.com/v1/vault.ts', 'generated'],
        ['src/generated/index.ts', 'generated'],
        ['src/controllers/backup-schedule.controller.ts', 'scaffold'],
        ['src/controllers/vault.controller.ts', 'scaffold'],
      ],
    );
  });

  it('matches the golden files', () => {
    for (const file of files) assertGolden(join(goldenDir, 'backup-operator', file.path), file.contents);
  });

  it('starts every generated file with the DO NOT EDIT header, and no scaffold with it', () => {
    for (const file of files) {
      assert.equal(
        file.contents.startsWith(`${generatedCodeHeader}\n`),
        file.ownership === 'generated',
        file.path,
      );
    }
  });

  it('is byte-identical when generated again from a fresh load', () => {
    assert.deepEqual(emitAll(fixtureDir('backup-operator')), files);
  });

  it('never writes `any` into generated code', () => {
    for (const file of files) assert.doesNotMatch(file.contents, /\bany\b/, file.path);
  });
});

describe('typed code of the mappings fixture', () => {
  it('matches the golden files', () => {
    for (const file of emitAll(fixtureDir('mappings'))) {
      assertGolden(join(goldenDir, 'mappings', file.path), file.contents);
    }
  });
});

describe('controller scaffolds of unusual kinds (testdata/projects-code/edge-kinds)', () => {
  it('match the golden files: no status, a status with required fields, a reserved-word name', () => {
    const files = emitAll(join(generatorDir, 'testdata', 'projects-code', 'edge-kinds'));
    assert.deepEqual(
      files.filter((f) => f.ownership === 'scaffold').map((f) => f.path),
      [
        'src/controllers/default.controller.ts',
        'src/controllers/gizmo.controller.ts',
        'src/controllers/widget.controller.ts',
      ],
    );
    for (const file of files) assertGolden(join(goldenDir, 'edge-kinds', file.path), file.contents);
  });
});

describe('the template engine', () => {
  it('fails on a field missing from the view model instead of printing nothing', () => {
    assert.throws(
      () => renderTemplate('code/index.ts.hbs', { modules: [], hasKinds: false }),
      (err: unknown) =>
        err instanceof TemplateError &&
        err.reason === 'RenderFailed' &&
        /#each at \d+:\d+: a field missing/.test(err.message),
    );
  });

  it('fails on a missing field passed to a name helper', () => {
    assert.throws(
      () => renderTemplate('code/kind.ts.hbs', {}),
      (err: unknown) => err instanceof TemplateError && /missing field|not defined/.test(err.message),
    );
  });

  it('names the template and the override when a template does not exist', () => {
    assert.throws(
      () => renderTemplate('code/missing.ts.hbs', {}),
      (err: unknown) =>
        err instanceof TemplateError &&
        err.reason === 'NotFound' &&
        err.message.includes('KUBEFORGE_TEMPLATES_DIR'),
    );
  });
});
