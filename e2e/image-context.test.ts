/**
 * `kubeforge image-context` for a project created from this checkout (its kubeforge packages
 * are `file:` dependencies): the context it writes is complete and self-contained. Copied to
 * a clean directory, it installs with `npm ci --offline` (registry packages from npm's cache,
 * as a container build takes them from the registry; nothing from outside the context),
 * builds, keeps only production dependencies, and the entry point runs the operator against
 * the real local control plane. No container runtime or base image is available here, so the
 * Dockerfile's steps are replayed with the same commands.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { projectWithKind, tempDir } from './support/project.ts';
import { baseEnv, kubeforgeBin } from './support/paths.ts';
import { background, eventually, freePort, sh, shOk } from './support/shell.ts';

describe('kubeforge image-context', { timeout: 600_000 }, () => {
  let cp: ControlPlane;
  let workdir: string;
  let project: string;
  let context: string;

  const kubeforge = (args: string): ReturnType<typeof sh> =>
    sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(kubeforgeBin)} ${args}`, {
      cwd: project,
      env: baseEnv(),
    });

  before(async () => {
    cp = await startControlPlane();
    workdir = tempDir('image');
    project = await projectWithKind(workdir, 'image-op', 'imagetest', 'Cog');
    context = join(project, 'dist/image');
  });

  after(async () => {
    await cp.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  test('a project without a Dockerfile gets a clear error and no context', async () => {
    renameSync(join(project, 'Dockerfile'), join(project, 'Dockerfile.away'));
    try {
      const result = await kubeforge('image-context');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /error: the project has no Dockerfile, which the image build needs/);
      assert.equal(existsSync(context), false);
    } finally {
      renameSync(join(project, 'Dockerfile.away'), join(project, 'Dockerfile'));
    }
  });

  test('the context holds the sources, the packed kubeforge packages and a lock for them', async () => {
    const result = await kubeforge('image-context');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Wrote the build context dist\/image\./);
    assert.deepEqual(readdirSync(join(context, 'vendor')).sort(), [
      'kubeforge-api-0.1.0.tgz',
      'kubeforge-runtime-0.1.0.tgz',
    ]);
    for (const file of [
      'Dockerfile',
      '.dockerignore',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
    ]) {
      assert.ok(existsSync(join(context, file)), file);
    }
    assert.ok(existsSync(join(context, 'src/generated')));
    assert.match(readFileSync(join(context, 'Dockerfile'), 'utf8'), /^COPY vendo\[r\] \.\/vendor\/$/m);
    const manifest = JSON.parse(readFileSync(join(context, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    assert.deepEqual(manifest.dependencies, {
      '@kubeforge/runtime': 'file:vendor/kubeforge-runtime-0.1.0.tgz',
      '@kubeforge/api': 'file:vendor/kubeforge-api-0.1.0.tgz',
    });
    assert.deepEqual(Object.keys(manifest.devDependencies).sort(), ['@types/node', 'typescript']);
    const lock = readFileSync(join(context, 'package-lock.json'), 'utf8');
    assert.doesNotMatch(
      lock,
      /"file:\/|"\.\.\/|"resolved": "\//,
      'the lock points at nothing outside the context',
    );
  });

  test('in a clean directory: npm ci --offline, build, production install, and the operator runs', async () => {
    const clean = join(workdir, 'clean');
    cpSync(context, clean, { recursive: true });
    const env = baseEnv({ KUBECONFIG: cp.kubeconfigPath });
    // The Dockerfile's build stage, then its runtime stage's dependencies.
    await shOk('npm ci --offline --no-audit --no-fund', { cwd: clean, env, timeoutMs: 300_000 });
    await shOk('npm run build', { cwd: clean, env });
    await shOk('npm prune --omit=dev --offline --no-audit --no-fund', { cwd: clean, env });
    assert.equal(existsSync(join(clean, 'node_modules/typescript')), false, 'dev dependencies are gone');
    assert.ok(existsSync(join(clean, 'node_modules/@kubeforge/runtime/dist')));
    await installCRDs(cp.kubeConfig, [join(project, 'config/crd/bases')]);
    const port = await freePort();
    const operator = background(`node dist/main.js --health-probe-bind-address 127.0.0.1:${port}`, {
      cwd: clean,
      env,
    });
    try {
      await operator.waitForOutput(/caches synced/, 60_000);
      await eventually('/readyz to answer 200', 30_000, async () =>
        (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined,
      );
    } finally {
      await operator.stop();
    }
  });
});
