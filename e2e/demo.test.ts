/**
 * The README's first command: `npm run demo` (after the build `npm test` already did) scaffolds
 * an operator, runs it on a local control plane and prints the reconciled Website the way
 * `kubectl get` shows it, then cleans up after itself.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { baseEnv, repoRoot } from './support/paths.ts';
import { sh } from './support/shell.ts';

test(
  'the demo reconciles a Website, shows it with its printer columns, and cleans up',
  { timeout: 600_000 },
  async () => {
    const result = await sh('node scripts/demo/demo.ts', {
      cwd: repoRoot,
      env: baseEnv(),
      timeoutMs: 540_000,
    });
    assert.equal(
      result.code,
      0,
      `demo failed:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
    );
    assert.match(result.stdout, /^NAME\s+TITLE\s+CONFIGMAP\s+READY\s+AGE$/m);
    assert.match(result.stdout, /^hello\s+Hello from kubeforge\s+hello-site\s+True\s+\S+$/m);
    assert.match(result.stdout, /<title>Hello from kubeforge<\/title>/);
    assert.match(result.stdout, /operator stopped \(exit code 0\)/);
    const removed = /^removed (\/\S+)$/m.exec(result.stdout);
    assert.ok(removed?.[1], 'the demo removes its temporary directory');
    assert.equal(existsSync(removed[1]), false);
  },
);
