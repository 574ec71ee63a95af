/**
 * The generated code is a contract the user's code compiles against: generate for the
 * backup-operator fixture into a project with `kubeforge init`'s main.ts, add user code that
 * uses (and deliberately misuses) the typed API, and type-check everything with the strictest
 * settings. Then change a type the user's code relies on and check that the break surfaces
 * as TypeScript errors in the user's code, not in generated code and not as a silent `any`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generate, type GenerateReport } from '../../generate-project.ts';
import { fixtureDir, generatorDir } from '../../testing/index.ts';
import { createOperatorProject, removeProjects } from './test-project.ts';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const usageFile = join(generatorDir, 'testdata', 'typed-usage', 'schedule-usage.ts');
const roundTripFile = join(generatorDir, 'testdata', 'typed-usage', 'round-trip.ts');

function typeCheck(dir: string): { status: number | null; errors: readonly string[] } {
  const result = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const errors = result.stdout.split('\n').filter((line) => / error TS\d+/.test(line));
  return { status: result.status, errors };
}

describe('generated code under the strictest compiler settings', () => {
  let dir = '';
  let report: GenerateReport;
  after(removeProjects);

  before(() => {
    dir = createOperatorProject('compile');
    report = generate(dir);
    cpSync(usageFile, join(dir, 'src', 'controllers', 'schedule-usage.ts'));
    cpSync(roundTripFile, join(dir, 'src', 'controllers', 'round-trip.ts'));
  });

  it('scaffolds and registers a controller per kind, without diagnostics', () => {
    assert.deepEqual(report.diagnostics, []);
    assert.deepEqual([report.unchanged, report.removed, report.stale], [[], [], []]);
    assert.ok(report.written.includes('config/rbac/role.yaml') && report.written.includes('src/main.ts'));
    assert.deepEqual(report.scaffolded, [
      'src/controllers/backup-schedule.controller.ts',
      'src/controllers/vault.controller.ts',
    ]);
    const main = readFileSync(join(dir, 'src', 'main.ts'), 'utf8');
    assert.match(
      main,
      /import \{ registerBackupScheduleController \} from '\.\/controllers\/backup-schedule\.controller\.ts';/,
    );
    assert.match(
      main,
      /\n {2}registerVaultController\(manager\);\n {2}\/\/ \+kubeforge:scaffold:controllers/,
    );
  });

  it('type-checks generated code, scaffolds, main.ts and user code with zero errors', () => {
    const { status, errors } = typeCheck(dir);
    assert.deepEqual(errors, []);
    assert.equal(status, 0);
  });

  it('declares no `any` in the public signatures of generated modules', () => {
    const declarations = join(dir, 'types', 'generated');
    const files = readdirSync(declarations, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.d.ts'),
    );
    assert.equal(files.length, 4);
    for (const file of files) {
      assert.doesNotMatch(readFileSync(join(declarations, file), 'utf8'), /\bany\b/, file);
    }
  });

  it('turns a breaking change of a type into errors in the user code that relies on it', () => {
    const types = join(dir, 'src', 'apis', 'backup.example.com', 'v1', 'backup-schedule.ts');
    const source = readFileSync(types, 'utf8');
    writeFileSync(types, source.replace('  schedule: string;', '  cron: string;'));
    const regenerated = generate(dir);
    assert.equal(regenerated.exitCode, 0, JSON.stringify(regenerated.diagnostics));
    // The generated module imports the user's types rather than copying them: only the CRD changes.
    assert.deepEqual(regenerated.written, ['config/crd/bases/backup.example.com_backupschedules.yaml']);
    const { status, errors } = typeCheck(dir);
    assert.notEqual(status, 0);
    assert.ok(errors.length > 0);
    // Every error is in the user's code; none in generated code or the scaffolds.
    for (const error of errors)
      assert.match(error, /^src\/controllers\/(schedule-usage|round-trip)\.ts\(/, error);
    assert.ok(
      errors.some((e) => e.includes("Property 'schedule' does not exist on type 'BackupScheduleSpec'")),
      errors.join('\n'),
    );
  });
});

describe('other fixtures under the strictest settings', () => {
  after(removeProjects);

  it('compiles the code and scaffold generated for the mappings fixture (every type mapping)', () => {
    const dir = createOperatorProject('compile-mappings', fixtureDir('mappings'));
    const report = generate(dir);
    assert.deepEqual([report.exitCode, report.diagnostics], [0, []]);
    const { status, errors } = typeCheck(dir);
    assert.deepEqual(errors, []);
    assert.equal(status, 0);
  });

  it('compile for a kind without status, one whose status has required fields, and one named by a reserved word', () => {
    const dir = createOperatorProject(
      'compile-edge',
      join(generatorDir, 'testdata', 'projects-code', 'edge-kinds'),
    );
    const report = generate(dir);
    assert.deepEqual(report.diagnostics, []);
    assert.deepEqual(report.scaffolded, [
      'src/controllers/default.controller.ts',
      'src/controllers/gizmo.controller.ts',
      'src/controllers/widget.controller.ts',
    ]);
    const gizmo = readFileSync(join(dir, 'src/controllers/gizmo.controller.ts'), 'utf8');
    // Its status has no conditions: the scaffold leaves the status to the user, and the
    // generated function (for a status with required fields) extends only a status that is set.
    assert.match(gizmo, /TODO: record what you observed: current\.status = \{ \.\.\. \};/);
    assert.doesNotMatch(gizmo, /markGizmoReconciled/);
    assert.match(
      readFileSync(join(dir, 'src/generated/edge.example.com/v1/gizmo.ts'), 'utf8'),
      /const status = gizmo\.status;\n {2}if \(status === undefined\) return;/,
    );
    assert.doesNotMatch(gizmo, /status: true/);
    assert.match(
      readFileSync(join(dir, 'src/controllers/widget.controller.ts'), 'utf8'),
      /Widget declares no status/,
    );
    assert.match(
      readFileSync(join(dir, 'src/controllers/default.controller.ts'), 'utf8'),
      /const defaultObject = await/,
    );
    const { status, errors } = typeCheck(dir);
    assert.deepEqual(errors, []);
    assert.equal(status, 0);
  });
});
