import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isCliError } from '../errors.ts';
import {
  findProjectRoot,
  loadProject,
  parseProjectFile,
  serializeProjectFile,
  type ProjectFile,
} from './project-file.ts';

const file: ProjectFile = {
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
};

test('a project file survives a round trip', () => {
  assert.deepEqual(parseProjectFile(JSON.parse(serializeProjectFile(file)), 'kubeforge.json'), file);
});

test('malformed project files name the field', () => {
  const broken = { ...file, resources: [{ ...file.resources[0], scope: 'Everywhere' }] };
  assert.throws(
    () => parseProjectFile(broken, 'kubeforge.json'),
    (err) => isCliError(err) && err.reason === 'InvalidInput' && err.message.includes('resources[0].scope'),
  );
  assert.throws(() => parseProjectFile({ ...file, version: 2 }, 'kubeforge.json'), /version must be 1/);
});

test('the project root is found from any directory inside it', () => {
  const root = mkdtempSync(join(tmpdir(), 'project-file-'));
  try {
    writeFileSync(join(root, 'kubeforge.json'), serializeProjectFile(file));
    mkdirSync(join(root, 'src', 'apis'), { recursive: true });
    assert.equal(findProjectRoot(join(root, 'src', 'apis')), root);
    assert.equal(loadProject(join(root, 'src')).file.domain, 'example.com');
    writeFileSync(join(root, 'kubeforge.json'), '{ nope');
    assert.throws(() => loadProject(root), /is not valid JSON/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('outside any project, loading fails with NotInProject and a hint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'no-project-'));
  try {
    assert.throws(
      () => loadProject(dir),
      (err) =>
        isCliError(err) && err.reason === 'NotInProject' && (err.hint ?? '').includes('kubeforge init'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
