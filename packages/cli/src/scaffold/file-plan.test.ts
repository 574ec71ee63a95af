import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { isCliError } from '../errors.ts';
import { applyFilePlan } from './file-plan.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'file-plan-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

test('creates files and the directories they need', () => {
  const applied = applyFilePlan(root, [
    { path: 'a/b/c.txt', contents: 'c', mode: 'create' },
    { path: 'd.txt', contents: 'd', mode: 'update' },
  ]);
  assert.deepEqual(applied.created, ['a/b/c.txt', 'd.txt']);
  assert.equal(readFileSync(join(root, 'a/b/c.txt'), 'utf8'), 'c');
});

test('lists every conflict and writes nothing when files to create exist', () => {
  writeFileSync(join(root, 'x.txt'), 'mine');
  writeFileSync(join(root, 'y.txt'), 'mine too');
  assert.throws(
    () =>
      applyFilePlan(root, [
        { path: 'new/z.txt', contents: 'z', mode: 'create' },
        { path: 'x.txt', contents: 'x', mode: 'create' },
        { path: 'y.txt', contents: 'y', mode: 'create' },
      ]),
    (err) => isCliError(err) && err.reason === 'FileExists' && err.message.includes('x.txt, y.txt'),
  );
  assert.equal(existsSync(join(root, 'new')), false);
  assert.equal(readFileSync(join(root, 'x.txt'), 'utf8'), 'mine');
});

test('a failed write undoes everything written before it', () => {
  writeFileSync(join(root, 'kept.txt'), 'before');
  writeFileSync(join(root, 'blocker'), 'a file where the plan needs a directory');
  assert.throws(
    () =>
      applyFilePlan(root, [
        { path: 'kept.txt', contents: 'after', mode: 'update' },
        { path: 'fresh/new.txt', contents: 'new', mode: 'create' },
        { path: 'blocker/file.txt', contents: 'x', mode: 'create' },
      ]),
    /ENOTDIR/,
  );
  assert.equal(readFileSync(join(root, 'kept.txt'), 'utf8'), 'before');
  assert.equal(existsSync(join(root, 'fresh')), false);
  assert.equal(existsSync(join(root, 'kept.txt.kubeforge-tmp')), false);
});

test('rollback restores updated files and removes created files and directories', () => {
  writeFileSync(join(root, 'kept.txt'), 'before');
  const applied = applyFilePlan(root, [
    { path: 'kept.txt', contents: 'after', mode: 'update' },
    { path: 'fresh/deep/new.txt', contents: 'new', mode: 'create' },
  ]);
  assert.deepEqual(applied.updated, ['kept.txt']);
  applied.rollback();
  assert.equal(readFileSync(join(root, 'kept.txt'), 'utf8'), 'before');
  assert.equal(existsSync(join(root, 'fresh')), false);
});

test('unchanged files are neither created nor updated', () => {
  writeFileSync(join(root, 'same.txt'), 'same');
  const applied = applyFilePlan(root, [{ path: 'same.txt', contents: 'same', mode: 'update' }]);
  assert.deepEqual([applied.created, applied.updated], [[], []]);
});

test('paths outside the root are refused', () => {
  assert.throws(
    () => applyFilePlan(root, [{ path: '../escape.txt', contents: '', mode: 'create' }]),
    /outside/,
  );
});
