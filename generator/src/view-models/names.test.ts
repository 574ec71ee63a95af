import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { camelCase, constantCase, kebabCase, pascalCase, pluralize, words } from './names.ts';

describe('name formatting', () => {
  it('splits identifiers at case changes, acronyms and separators', () => {
    assert.deepEqual(words('BackupSchedule'), ['backup', 'schedule']);
    assert.deepEqual(words('HTTPRoute'), ['http', 'route']);
    assert.deepEqual(words('batch.example.com'), ['batch', 'example', 'com']);
    assert.deepEqual(words('v1beta1'), ['v1beta1']);
  });

  it('formats kinds, groups and versions for identifiers and file names', () => {
    assert.equal(camelCase('BackupSchedule'), 'backupSchedule');
    assert.equal(camelCase('HTTPRoute'), 'httpRoute');
    assert.equal(camelCase('backup.example.com'), 'backupExampleCom');
    assert.equal(camelCase('v1alpha1'), 'v1alpha1');
    assert.equal(pascalCase('backup-schedule'), 'BackupSchedule');
    assert.equal(kebabCase('BackupSchedule'), 'backup-schedule');
    assert.equal(kebabCase('HTTPRoute'), 'http-route');
    assert.equal(constantCase('BackupSchedule'), 'BACKUP_SCHEDULE');
  });

  it('pluralises the last word, keeping its case', () => {
    assert.equal(pluralize('BackupSchedule'), 'BackupSchedules');
    assert.equal(pluralize('Policy'), 'Policies');
    assert.equal(pluralize('Gateway'), 'Gateways');
    assert.equal(pluralize('Ingress'), 'Ingresses');
    assert.equal(pluralize('Box'), 'Boxes');
  });
});
