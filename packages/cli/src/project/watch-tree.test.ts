import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { watchTree, type TreeWatcher } from './watch-tree.ts';

let root: string;
let watcher: TreeWatcher | undefined;
let changes: string[];
const errors: Error[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'watch-tree-'));
  mkdirSync(join(root, 'apis', 'v1'), { recursive: true });
  mkdirSync(join(root, 'generated'));
  writeFileSync(join(root, 'apis', 'v1', 'kind.ts'), 'export {};\n');
  changes = [];
});

afterEach(() => {
  watcher?.close();
  rmSync(root, { recursive: true, force: true });
  assert.deepEqual(errors, []);
});

function start(): void {
  watcher = watchTree(root, {
    include: (path) => path.endsWith('.ts'),
    includeDir: (dir) => dir !== 'generated',
    onChange: (path) => changes.push(path),
    onError: (err) => errors.push(err),
  });
}

async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`no matching change; saw ${JSON.stringify(changes)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('saves that replace the file by renaming a temporary file are seen every time', async () => {
  start();
  const file = join(root, 'apis', 'v1', 'kind.ts');
  for (const round of [1, 2, 3]) {
    writeFileSync(`${file}.tmp~`, `export const round = ${round};\n`);
    renameSync(`${file}.tmp~`, file);
    await until(() => changes.filter((c) => c === file).length >= round);
  }
});

test('files in new directories are seen, and excluded directories are not watched', async () => {
  start();
  mkdirSync(join(root, 'apis', 'v2'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  writeFileSync(join(root, 'apis', 'v2', 'other.ts'), 'export {};\n');
  await until(() => changes.includes(join(root, 'apis', 'v2', 'other.ts')));
  writeFileSync(join(root, 'generated', 'out.ts'), 'export {};\n');
  writeFileSync(join(root, 'apis', 'v1', 'notes.md'), 'not TypeScript\n');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(
    changes.filter((c) => c.includes('generated') || c.endsWith('.md')),
    [],
  );
});
