/**
 * Golden-file assertions for the generator's tests. With `UPDATE_GOLDEN=1` the expected file
 * is (re)written instead of compared; review the diff before committing it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const updateGolden = process.env.UPDATE_GOLDEN === '1';

/** generator/ */
export const generatorDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(generatorDir, 'testdata', 'projects');

export function fixtureDir(name: string): string {
  return join(fixturesDir, name);
}

export function assertGolden(path: string, actual: string): void {
  if (updateGolden) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file ${path} is missing; run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(
    actual,
    readFileSync(path, 'utf8'),
    `${path} is stale; run with UPDATE_GOLDEN=1 and review the diff`,
  );
}

/**
 * A fresh directory inside the repository (generator/.kubeforge-tmp, git-ignored), so
 * fixture copies still resolve @kubeforge/runtime through the workspace's node_modules.
 */
export function scratchDir(prefix: string): string {
  const base = join(generatorDir, '.kubeforge-tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}
