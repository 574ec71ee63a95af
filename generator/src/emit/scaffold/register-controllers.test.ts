import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  registerControllers,
  registerWebhooks,
  type ControllerRegistration,
} from './register-controllers.ts';

const main = `import { createManager, type Manager } from '@kubeforge/runtime';
// my own import
// +kubeforge:scaffold:imports

function registerControllers(manager: Manager): void {
  manager.add(custom); // user code stays
  // +kubeforge:scaffold:controllers
}
`;

const schedule: ControllerRegistration = {
  functionName: 'registerBackupScheduleController',
  modulePath: 'src/controllers/backup-schedule.controller.ts',
};
const vault: ControllerRegistration = {
  functionName: 'registerVaultController',
  modulePath: 'src/controllers/vault.controller.ts',
};

function registered(source: string, controllers: readonly ControllerRegistration[]): string {
  const result = registerControllers(source, controllers);
  assert.ok(result.ok);
  return result.contents;
}

describe('registerControllers', () => {
  it('inserts the import above the imports marker and the call above the controllers marker, indented like it', () => {
    assert.equal(
      registered(main, [schedule]),
      `import { createManager, type Manager } from '@kubeforge/runtime';
// my own import
import { registerBackupScheduleController } from './controllers/backup-schedule.controller.ts';
// +kubeforge:scaffold:imports

function registerControllers(manager: Manager): void {
  manager.add(custom); // user code stays
  registerBackupScheduleController(manager);
  // +kubeforge:scaffold:controllers
}
`,
    );
  });

  it('adds a second controller below the first, in place', () => {
    const twice = registered(registered(main, [schedule]), [vault]);
    assert.match(
      twice,
      /controller\.ts';\nimport \{ registerVaultController \} from '\.\/controllers\/vault\.controller\.ts';\n\/\/ \+kubeforge/,
    );
    assert.match(
      twice,
      /registerBackupScheduleController\(manager\);\n {2}registerVaultController\(manager\);\n/,
    );
  });

  it('is idempotent: registering again changes nothing', () => {
    const once = registered(main, [schedule, vault]);
    const again = registerControllers(once, [schedule, vault]);
    assert.deepEqual(again, { ok: true, contents: once, changed: false });
  });

  it('respects a registration the user commented out', () => {
    const disabled = registered(main, [schedule]).replace(
      '  registerBackupScheduleController(manager);',
      '  // registerBackupScheduleController(manager);',
    );
    assert.deepEqual(registerControllers(disabled, [schedule]), {
      ok: true,
      contents: disabled,
      changed: false,
    });
  });

  it('recognises a multi-line import the user reformatted', () => {
    const reformatted = registered(main, [schedule]).replace(
      "import { registerBackupScheduleController } from './controllers/backup-schedule.controller.ts';",
      "import {\n  registerBackupScheduleController,\n} from './controllers/backup-schedule.controller.ts';",
    );
    assert.equal(
      registerControllers(reformatted, [schedule]).ok && registered(reformatted, [schedule]),
      reformatted,
    );
  });

  it('keeps CRLF line endings', () => {
    const crlf = main.replaceAll('\n', '\r\n');
    const result = registered(crlf, [schedule]);
    assert.equal(result.replaceAll('\r\n', '').includes('\n'), false);
    assert.match(result, /registerBackupScheduleController\(manager\);\r\n/);
  });

  it('reports each missing marker as an error with a hint, and changes nothing', () => {
    const result = registerControllers(main.replace('// +kubeforge:scaffold:imports\n', ''), [schedule]);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.code, d.file, d.hint]),
      [
        [
          'error',
          'missing-scaffold-marker',
          'src/main.ts',
          'add a line "// +kubeforge:scaffold:imports" after the imports of src/main.ts',
        ],
      ],
    );
    assert.match(
      result.diagnostics[0]?.message ?? '',
      /registerBackupScheduleController cannot be registered/,
    );
  });
});

describe('registerWebhooks', () => {
  const main = [
    "import { createManager } from '@kubeforge/runtime';",
    '// +kubeforge:scaffold:imports',
    'function register(manager: Manager): void {',
    '  // +kubeforge:scaffold:controllers',
    '}',
    '',
  ].join('\n');
  const webhook = { exportName: 'vaultV1Defaulting', modulePath: 'src/webhooks/vault-v1.defaulting.ts' };

  it('adds the import and one manager.addWebhook line at the markers', () => {
    const result = registerWebhooks(main, [webhook]);
    assert.ok(result.ok);
    assert.equal(
      result.contents,
      [
        "import { createManager } from '@kubeforge/runtime';",
        "import { vaultV1Defaulting } from './webhooks/vault-v1.defaulting.ts';",
        '// +kubeforge:scaffold:imports',
        'function register(manager: Manager): void {',
        '  manager.addWebhook(vaultV1Defaulting);',
        '  // +kubeforge:scaffold:controllers',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('changes nothing the second time', () => {
    const once = registerWebhooks(main, [webhook]);
    assert.ok(once.ok);
    const twice = registerWebhooks(once.contents, [webhook]);
    assert.ok(twice.ok);
    assert.equal(twice.changed, false);
  });

  it('reports a missing marker instead of guessing where manager is in scope', () => {
    const result = registerWebhooks(main.replace('  // +kubeforge:scaffold:controllers\n', ''), [webhook]);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ['missing-scaffold-marker'],
    );
  });
});
