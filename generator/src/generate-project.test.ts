/**
 * Regeneration: `generate` rewrites exactly the files a change affects, removes generated
 * files of kinds that are gone, never touches user-owned files (scaffolded controllers, the
 * user's code in main.ts), and `check` reports staleness without writing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  changedPaths,
  copyProject,
  createOperatorProject,
  editFile,
  removeProjects,
  snapshot,
} from './emit/code/test-project.ts';
import { generate } from './generate-project.ts';

const scaffolds = ['src/controllers/backup-schedule.controller.ts', 'src/controllers/vault.controller.ts'];
const vaultV1 = 'src/apis/storage.example.com/v1/vault.ts';
const v1alpha1 = 'src/apis/backup.example.com/v1alpha1/backup-schedule.ts';

/** The scaffolds and main.ts as the user may have edited them. */
function userOwned(files: ReadonlyMap<string, string>): readonly (string | undefined)[] {
  return [...scaffolds, 'src/main.ts'].map((p) => files.get(p));
}

describe('generate on a project', () => {
  let base = '';
  after(removeProjects);

  before(() => {
    base = createOperatorProject('regen-base');
    const first = generate(base);
    assert.equal(first.exitCode, 0, JSON.stringify(first.diagnostics));
    // The user edits what is theirs: a scaffolded controller and main.ts.
    editFile(base, scaffolds[0] ?? '', (s) =>
      s.replace('// TODO: record what you observed in current.status.', '// observed: nothing yet'),
    );
    editFile(base, 'src/main.ts', (s) =>
      s.replace('function registerControllers(', '// user comment\nfunction registerControllers('),
    );
  });

  it('writes the manifests, the typed code and a controller per kind on the first run', () => {
    const files = snapshot(base);
    for (const path of [
      'config/crd/bases/backup.example.com_backupschedules.yaml',
      'config/crd/bases/storage.example.com_vaults.yaml',
      'config/rbac/role.yaml',
      'src/generated/index.ts',
      'src/generated/backup.example.com/v1/backup-schedule.ts',
      'src/generated/storage.example.com/v1/vault.ts',
      ...scaffolds,
    ]) {
      assert.ok(files.has(path), path);
    }
    assert.match(files.get('config/rbac/role.yaml') ?? '', /- backupschedules\/finalizers/);
  });

  it('changes nothing when run again', () => {
    const dir = copyProject(base, 'regen-again');
    const before = snapshot(dir);
    const report = generate(dir);
    assert.deepEqual(
      [report.written, report.removed, report.scaffolded, report.diagnostics],
      [[], [], [], []],
    );
    assert.deepEqual(changedPaths(before, snapshot(dir)), []);
  });

  it('rewrites only the CRD when a field is added (the code imports the types)', () => {
    const dir = copyProject(base, 'regen-field');
    editFile(dir, vaultV1, (s) =>
      s.replace('  url: string;', '  url: string;\n  /** Region of the vault. */\n  region?: string;'),
    );
    const before = snapshot(dir);
    const report = generate(dir);
    assert.deepEqual(report.written, ['config/crd/bases/storage.example.com_vaults.yaml']);
    assert.deepEqual(report.removed, []);
    assert.deepEqual(changedPaths(before, snapshot(dir)), report.written);
    assert.match(readFileSync(join(dir, report.written[0] ?? ''), 'utf8'), /region:/);
  });

  it('regenerates the typed client when the kind gains a status subresource', () => {
    const dir = copyProject(base, 'regen-status');
    editFile(dir, v1alpha1, (s) =>
      s
        .replace(' * @resource', ' * @resource\n * @subresource status')
        .replace(
          '  spec: BackupScheduleSpec;',
          '  spec: BackupScheduleSpec;\n  status?: { phase?: string };',
        ),
    );
    const module = 'src/generated/backup.example.com/v1alpha1/backup-schedule.ts';
    // Without a status subresource the typed client leaves updateStatus out.
    const leavesOutUpdateStatus = /extends Omit<ResourceClient<BackupSchedule>, [^>]*'updateStatus'>/;
    assert.match(readFileSync(join(dir, module), 'utf8'), leavesOutUpdateStatus);
    const before = snapshot(dir);
    const report = generate(dir);
    assert.deepEqual(report.written, ['config/crd/bases/backup.example.com_backupschedules.yaml', module]);
    assert.deepEqual(changedPaths(before, snapshot(dir)), report.written);
    assert.doesNotMatch(readFileSync(join(dir, module), 'utf8'), leavesOutUpdateStatus);
  });

  it('stops generating code for a version marked @served false', () => {
    const dir = copyProject(base, 'regen-unserved');
    editFile(dir, v1alpha1, (s) => s.replace(' * @resource', ' * @resource\n * @served false'));
    const report = generate(dir);
    assert.deepEqual(report.removed, ['src/generated/backup.example.com/v1alpha1/backup-schedule.ts']);
    assert.deepEqual(report.written, [
      'config/crd/bases/backup.example.com_backupschedules.yaml',
      'src/generated/index.ts',
    ]);
  });

  it('replaces the files of a renamed kind, scaffolds its new controller and keeps the old one', () => {
    const dir = copyProject(base, 'regen-rename');
    for (const path of [vaultV1, 'src/apis/storage.example.com/v1beta1/vault.ts']) {
      editFile(dir, path, (s) => s.replaceAll('Vault', 'Safe').replaceAll('vault', 'safe'));
    }
    const before = snapshot(dir);
    const report = generate(dir);
    assert.equal(report.exitCode, 0, JSON.stringify(report.diagnostics));
    assert.deepEqual(report.removed, [
      'config/crd/bases/storage.example.com_vaults.yaml',
      'src/generated/storage.example.com/v1/vault.ts',
    ]);
    assert.deepEqual(report.written, [
      'config/crd/bases/storage.example.com_safes.yaml',
      'config/rbac/role.yaml',
      // They name the converted CRD.
      'config/webhook/built-in/rbac.yaml',
      'config/webhook/cert-manager/ca-injection-patch.yaml',
      'src/controllers/safe.controller.ts',
      'src/generated/index.ts',
      'src/generated/storage.example.com/v1/safe.ts',
      'src/main.ts',
    ]);
    assert.deepEqual(report.scaffolded, ['src/controllers/safe.controller.ts']);
    const after = snapshot(dir);
    assert.deepEqual(changedPaths(before, after), [...report.removed, ...report.written].sort());
    assert.deepEqual(
      scaffolds.map((p) => after.get(p)),
      scaffolds.map((p) => before.get(p)),
    );
    const main = after.get('src/main.ts') ?? '';
    assert.equal(
      main,
      (before.get('src/main.ts') ?? '')
        .replace(
          '// +kubeforge:scaffold:imports',
          "import { registerSafeController } from './controllers/safe.controller.ts';\n// +kubeforge:scaffold:imports",
        )
        .replace(
          '  // +kubeforge:scaffold:controllers',
          '  registerSafeController(manager);\n  // +kubeforge:scaffold:controllers',
        ),
    );
  });

  it('removes the generated files of a removed kind and leaves no empty folders', () => {
    const dir = copyProject(base, 'regen-remove');
    rmSync(join(dir, 'src/apis/storage.example.com'), { recursive: true });
    const before = snapshot(dir);
    const report = generate(dir);
    assert.deepEqual(report.removed, [
      'config/crd/bases/storage.example.com_vaults.yaml',
      'src/generated/storage.example.com/v1/vault.ts',
    ]);
    // The role keeps the vault rules: the user's vault controller still declares them. The
    // webhook manifests no longer name the vaults CRD, which was converted.
    assert.deepEqual(report.written, [
      'config/webhook/built-in/rbac.yaml',
      'config/webhook/cert-manager/ca-injection-patch.yaml',
      'src/generated/index.ts',
    ]);
    const after = snapshot(dir);
    assert.deepEqual(changedPaths(before, after), [...report.removed, ...report.written].sort());
    assert.deepEqual(userOwned(after), userOwned(before));
    assert.equal(existsSync(join(dir, 'src/generated/storage.example.com')), false);
    assert.doesNotMatch(after.get('src/generated/index.ts') ?? '', /vault/i);
  });

  it('lists stale files in check mode, writes nothing and fails; passes once regenerated', () => {
    const dir = copyProject(base, 'regen-check');
    rmSync(join(dir, 'src/apis/backup.example.com/v1alpha1'), { recursive: true });
    editFile(dir, vaultV1, (s) => s.replace('  url: string;', '  url: string;\n  region?: string;'));
    const before = snapshot(dir);
    const stale = generate(dir, { check: true });
    assert.equal(stale.exitCode, 1);
    assert.deepEqual(stale.stale, [
      'config/crd/bases/backup.example.com_backupschedules.yaml',
      'config/crd/bases/storage.example.com_vaults.yaml',
      'src/generated/backup.example.com/v1alpha1/backup-schedule.ts',
      'src/generated/index.ts',
    ]);
    assert.deepEqual([stale.written, stale.removed], [[], []]);
    assert.deepEqual(changedPaths(before, snapshot(dir)), []);

    assert.equal(generate(dir).exitCode, 0);
    const clean = generate(dir, { check: true });
    assert.deepEqual([clean.exitCode, clean.stale], [0, []]);
  });

  it('does not scaffold in check mode: a missing controller is the user choice', () => {
    const dir = copyProject(base, 'regen-check-scaffold');
    rmSync(join(dir, scaffolds[1] ?? ''));
    const report = generate(dir, { check: true });
    // Only the role is stale: it still holds the @rbac rules of the deleted controller.
    assert.deepEqual([report.stale, report.scaffolded], [['config/rbac/role.yaml'], []]);
    assert.equal(existsSync(join(dir, scaffolds[1] ?? '')), false);
  });

  it('reports a main.ts without markers and scaffolds nothing, so a rerun after the fix does both', () => {
    const dir = copyProject(base, 'regen-marker');
    editFile(dir, vaultV1, (s) =>
      s.replaceAll('Vault', 'Safe').replaceAll('vaults', 'safes').replaceAll('vault', 'safe'),
    );
    editFile(dir, 'src/main.ts', (s) => s.replace('  // +kubeforge:scaffold:controllers\n', ''));
    const main = readFileSync(join(dir, 'src/main.ts'), 'utf8');
    const report = generate(dir);
    assert.equal(report.exitCode, 1);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.severity, d.code, d.file]),
      [
        // Safe, renamed in v1 only, has one version left and @conversion hub.
        ['warning', 'invalid-conversion', 'src/apis/storage.example.com/v1/vault.ts'],
        ['error', 'missing-scaffold-marker', 'src/main.ts'],
      ],
    );
    assert.deepEqual(report.scaffolded, []);
    assert.equal(existsSync(join(dir, 'src/controllers/safe.controller.ts')), false);
    assert.equal(readFileSync(join(dir, 'src/main.ts'), 'utf8'), main);

    writeFileSync(
      join(dir, 'src/main.ts'),
      main.replace(
        'function registerControllers(manager: Manager): void {\n',
        '$&  // +kubeforge:scaffold:controllers\n',
      ),
    );
    const fixed = generate(dir);
    assert.deepEqual([fixed.exitCode, fixed.scaffolded], [0, ['src/controllers/safe.controller.ts']]);
  });

  it('does not scaffold controllers of a kind name two groups share, and says why', () => {
    const dir = createOperatorProject('regen-ambiguous');
    const copy = 'src/apis/archive.example.com/v1/backup-schedule.ts';
    mkdirSync(join(dir, 'src/apis/archive.example.com/v1'), { recursive: true });
    writeFileSync(
      join(dir, copy),
      "import type { ObjectMeta } from '@kubeforge/runtime/api';\n\n/** @resource */\nexport interface BackupSchedule {\n  metadata: ObjectMeta;\n  spec: { where: string };\n}\n",
    );
    const report = generate(dir);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.severity, d.code]),
      [['warning', 'ambiguous-controller']],
    );
    assert.match(report.diagnostics[0]?.message ?? '', /archive\.example\.com, backup\.example\.com/);
    assert.deepEqual(report.scaffolded, ['src/controllers/vault.controller.ts']);
    assert.ok(report.written.includes('src/generated/archive.example.com/v1/backup-schedule.ts'));
  });

  it('warns and scaffolds nothing when the project has no main.ts', () => {
    const dir = copyProject(base, 'regen-no-main');
    rmSync(join(dir, 'src/main.ts'));
    rmSync(join(dir, scaffolds[1] ?? ''));
    const report = generate(dir);
    assert.equal(report.exitCode, 0);
    assert.deepEqual(
      report.diagnostics.map((d) => [d.severity, d.code]),
      [['warning', 'no-main-file']],
    );
    assert.deepEqual(report.scaffolded, []);
    assert.deepEqual(generate(dir, { scaffold: false }).diagnostics, []);
  });
});
