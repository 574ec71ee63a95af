/**
 * `kubeforge run` against the real local control plane: it installs the CRDs and starts the
 * operator; saving a controller rebuilds and restarts it (the previous process gone first);
 * saving an API type regenerates, reinstalls the CRD, then restarts; a type error keeps the
 * last build running. Every wait is bounded.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { projectWithKind, tempDir } from './support/project.ts';
import { baseEnv, kubeforgeBin } from './support/paths.ts';
import { background, eventually, freePort, sh, shOk, type Background } from './support/shell.ts';

const controller = 'src/controllers/sprocket.controller.ts';
const types = 'src/apis/runtest.example.com/v1/sprocket.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('kubeforge run', () => {
  let cp: ControlPlane;
  let workdir: string;
  let project: string;
  let run: Background | undefined;

  /** The pids of every "Started the operator" line so far. */
  const starts = (): number[] =>
    [...(run?.output() ?? '').matchAll(/^Started the operator \(pid (\d+)\)\.$/gm)].map((m) => Number(m[1]));

  const waitForStarts = (n: number, what: string): Promise<number> =>
    eventually(`${what} (start #${n})`, 120_000, () => {
      const pids = starts();
      return Promise.resolve(pids.length >= n ? pids[n - 1] : undefined);
    });

  before(async () => {
    cp = await startControlPlane();
    workdir = tempDir('run');
    project = await projectWithKind(workdir, 'run-op', 'runtest', 'Sprocket');
    // What `npm install` links: the build script's tsc.
    mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
    symlinkSync('../typescript/bin/tsc', join(project, 'node_modules/.bin/tsc'));
  });

  after(async () => {
    await run?.stop();
    await cp.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  test('without a cluster it says so and starts nothing', async () => {
    const kubeconfig = join(workdir, 'nowhere.kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: somewhere, cluster: {server: "https://127.0.0.1:1"}}]\n' +
        'users: [{name: someone, user: {token: x}}]\ncontexts: [{name: nowhere, context: {cluster: somewhere, user: someone}}]\n' +
        'current-context: nowhere\n',
    );
    const result = await sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(kubeforgeBin)} run`, {
      cwd: project,
      env: baseEnv({ KUBECONFIG: kubeconfig }),
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: no cluster answers \(the current kubeconfig context "nowhere"\)/);
    assert.doesNotMatch(result.stderr, /Started the operator/);
  });

  test('it installs the CRDs, builds and starts the operator', async () => {
    const port = await freePort();
    run = background(
      `${JSON.stringify(process.execPath)} ${JSON.stringify(kubeforgeBin)} run -- --health-probe-bind-address 127.0.0.1:${port}`,
      { cwd: project, env: baseEnv({ KUBECONFIG: cp.kubeconfigPath, LOG_LEVEL: 'info' }) },
    );
    await waitForStarts(1, 'the operator to start');
    await run.waitForOutput(/Watching src\/ for changes/, 30_000);
    await run.waitForOutput(/caches synced/, 60_000);
    await shOk('kubectl get crd sprockets.runtest.example.com', {
      cwd: project,
      env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }),
    });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);
  });

  test('saving a controller rebuilds and restarts the operator, the old process gone', async () => {
    const first = starts()[0] ?? 0;
    appendFileSync(join(project, controller), '\n// A change the restart picks up.\n');
    const second = await waitForStarts(2, 'a restart after the controller changed');
    assert.notEqual(second, first);
    assert.equal(alive(first), false, 'the previous operator exited before the new one started');
    const after = run?.output().split(/^Started the operator \(pid \d+\)\.$/m)[1] ?? '';
    assert.match(
      after,
      /Changed: src\/controllers\/sprocket\.controller\.ts\nBuilding\.\.\.\nRestarting the operator\.\.\./,
    );
    assert.doesNotMatch(after, /Generating/);
  });

  test('saving an API type regenerates, reinstalls the CRD, then restarts', async () => {
    const source = readFileSync(join(project, types), 'utf8');
    writeFileSync(
      join(project, types),
      source.replace(
        'export interface SprocketSpec {',
        'export interface SprocketSpec {\n  /** A new field. */\n  color?: string;\n',
      ),
    );
    await waitForStarts(3, 'a restart after the API type changed');
    const steps = run?.output().split(/^Started the operator \(pid \d+\)\.$/m)[2] ?? '';
    assert.match(steps, /Changed: src\/apis\/runtest\.example\.com\/v1\/sprocket\.ts\nGenerating\.\.\./);
    assert.match(
      steps,
      /Installing the CRDs\.\.\.\n[^]*customresourcedefinition\.apiextensions\.k8s\.io\/sprockets\.runtest\.example\.com configured[^]*Building\.\.\.\n[^]*Restarting the operator/,
    );
    const field = await shOk(
      "kubectl get crd sprockets.runtest.example.com -o jsonpath='{.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.color.type}'",
      { cwd: project, env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }) },
    );
    assert.equal(field.stdout, 'string');
  });

  test('a type error keeps the last build running; the fix restarts it', async () => {
    const running = starts()[2] ?? 0;
    const source = readFileSync(join(project, controller), 'utf8');
    writeFileSync(join(project, controller), `${source}\nexport const broken: number = 'not a number';\n`);
    await run?.waitForOutput(
      /The operator keeps running the last build: fix the problem above and save\./,
      120_000,
    );
    assert.match(run?.output() ?? '', /error TS2322/);
    assert.ok(alive(running), 'the last build still runs');
    writeFileSync(join(project, controller), source);
    const next = await waitForStarts(4, 'a restart after the fix');
    assert.notEqual(next, running);
  });

  test('Ctrl-C stops the operator with it', async () => {
    const last = starts().at(-1) ?? 0;
    await run?.stop();
    run = undefined;
    assert.equal(alive(last), false);
  });
});
