/**
 * The CLI in a fresh clone, after nothing but the README's install (`npm ci`): `npx kubeforge`
 * works in the checkout, `packages/cli/bin` on PATH gives `kubeforge` anywhere (what
 * docs/getting-started.md tells users to do), and a checkout whose CLI was not built says to
 * run `npm run build` instead of failing on a missing module. The clone is of the committed
 * HEAD, as a user or CI gets it; the install takes the registry's packages from npm's cache
 * when it has them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { tempDir } from './support/project.ts';
import { sequentialSteps } from './support/steps.ts';
import { baseEnv, repoRoot } from './support/paths.ts';
import { sh, shOk } from './support/shell.ts';

const isGitCheckout = existsSync(join(repoRoot, '.git'));

describe('a fresh clone: the CLI after `npm ci`', { timeout: 900_000, skip: !isGitCheckout }, () => {
  const workdir = tempDir('fresh-clone');
  const clone = join(workdir, 'kubeforge');
  const elsewhere = join(workdir, 'elsewhere');
  const env = baseEnv();
  const step = sequentialSteps();
  let installMs = 0;

  before(async () => {
    mkdirSync(elsewhere);
    await shOk(`git clone --quiet ${repoRoot} ${clone}`, { cwd: workdir, env });
  });

  after(() => {
    rmSync(workdir, { recursive: true, force: true });
  });

  step('npm ci installs and builds, so the CLI is there without a separate build', async () => {
    assert.equal(existsSync(join(clone, 'packages/cli/dist')), false, 'a clone has no dist/');
    const started = performance.now();
    await shOk('npm ci --no-audit --no-fund --prefer-offline', { cwd: clone, env, timeoutMs: 600_000 });
    installMs = performance.now() - started;
    assert.ok(existsSync(join(clone, 'packages/cli/dist/bin/kubeforge.js')), 'npm ci did not build the CLI');
  });

  step('npx kubeforge runs the checkout CLI', async () => {
    const help = await shOk('npx kubeforge --help', { cwd: clone, env });
    assert.match(help.stdout, /^kubeforge <command> \[options\]/);
    assert.match(help.stdout, /kubeforge create api/);
    const version = await shOk('npx kubeforge version', { cwd: clone, env });
    assert.match(version.stdout, new RegExp(`^kubeforge \\d+\\.\\d+\\.\\d+ \\(checkout ${clone}`));
    console.log(`# npm ci (with its build) took ${Math.round(installMs / 1000)} s`);
  });

  step('packages/cli/bin on PATH gives `kubeforge` in any directory', async () => {
    const result = await shOk('kubeforge version', {
      cwd: elsewhere,
      env: { ...env, PATH: `${join(clone, 'packages/cli/bin')}:${env.PATH ?? ''}` },
    });
    assert.match(result.stdout, new RegExp(`\\(checkout ${clone}`));
  });

  step('an unbuilt checkout says to run `npm run build`', async () => {
    const dist = join(clone, 'packages/cli/dist');
    renameSync(dist, `${dist}.moved`);
    try {
      const result = await sh('npx kubeforge --help', { cwd: clone, env });
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.equal(
        result.stderr,
        `error: kubeforge is not built: ${join(dist, 'bin/kubeforge.js')} is missing\n` +
          `hint: build the checkout first: cd ${clone} && npm run build\n`,
      );
    } finally {
      renameSync(`${dist}.moved`, dist);
    }
  });
});
