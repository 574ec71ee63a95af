/**
 * `npm run demo`: the kubeforge journey in one command. Scaffolds an operator in a temporary
 * directory, adds a Website API whose controller renders each Website into a ConfigMap it
 * owns and reports status, generates, builds, starts the local control plane (or uses
 * KUBECONFIG with KUBEFORGE_USE_EXISTING_CLUSTER=1), installs the CRDs, runs the operator,
 * applies a sample and shows it as `kubectl get` does — then shuts everything down.
 * KUBEFORGE_DEMO_KEEP=1 keeps the project directory.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import {
  controlPlaneDir,
  createNamespace,
  resolveBinaries,
  startControlPlane,
  type ControlPlane,
} from '@kubeforge/testing';
import { condenseLogLine, run, start, stopProcess, waitFor } from './processes.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const kubeforgeBin = join(repo, 'packages/cli/dist/bin/kubeforge.js');
const fixtures = join(repo, 'e2e/testdata/website');
const node = process.execPath;

function section(title: string): void {
  console.log(`\n==> ${title}`);
}

function kubeforge(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return run(node, [kubeforgeBin, ...args], {
    cwd,
    display: `kubeforge ${args.join(' ')}`,
    ...(env ? { env } : {}),
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function usesExistingCluster(): boolean {
  return /^(1|true)$/i.test(process.env.KUBEFORGE_USE_EXISTING_CLUSTER ?? '');
}

async function main(): Promise<void> {
  const workdir = mkdtempSync(join(tmpdir(), 'kubeforge-demo-'));
  const project = join(workdir, 'website-operator');
  let cp: ControlPlane | undefined;
  let operator: ChildProcess | undefined;
  let namespace: string | undefined;
  const stopAll = async (): Promise<void> => {
    section('Shutting down');
    if (cp !== undefined && cp.local === undefined) {
      // An existing cluster outlives the demo: remove what it created (while the operator
      // still runs to release the Website's finalizer).
      const env = { ...process.env, KUBECONFIG: cp.kubeconfigPath };
      const quietly = { cwd: workdir, env, quiet: true };
      if (namespace !== undefined) {
        await run(
          'kubectl',
          ['delete', 'websites', '--all', '-n', namespace, '--timeout=60s'],
          quietly,
        ).catch(() => '');
        await run('kubectl', ['delete', 'namespace', namespace, '--wait=false'], quietly).catch(() => '');
      }
      await run(
        'kubectl',
        ['delete', 'crd', 'websites.web.example.com', '--ignore-not-found', '--wait=false'],
        quietly,
      ).catch(() => '');
      console.log('removed the demo namespace and CRD from the cluster');
    }
    if (operator !== undefined) {
      const code = await stopProcess(operator, 20_000);
      console.log(`operator stopped (exit code ${String(code)})`);
    }
    if (cp !== undefined) {
      await cp.stop();
      console.log(usesExistingCluster() ? 'left the existing cluster running' : 'control plane stopped');
    }
    if (/^(1|true)$/i.test(process.env.KUBEFORGE_DEMO_KEEP ?? ''))
      console.log(`kept the project in ${project}`);
    else {
      rmSync(workdir, { recursive: true, force: true });
      console.log(`removed ${workdir}`);
    }
  };
  const interrupted = (): void => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    section(`Scaffolding an operator project in ${project}`);
    await kubeforge(['init', 'website-operator', '--domain', 'example.com'], workdir);
    await kubeforge(['create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'Website'], project);

    section('Describing the Website API and filling in its reconcile');
    const typesFile = 'src/apis/web.example.com/v1/website.ts';
    const controllerFile = 'src/controllers/website.controller.ts';
    copyFileSync(join(fixtures, 'website.ts'), join(project, typesFile));
    console.log(
      `wrote ${typesFile}: spec {title, body}, status {configMap, conditions}, printer columns, short name ws`,
    );
    await kubeforge(['generate'], project);
    copyFileSync(join(fixtures, 'website.controller.ts'), join(project, controllerFile));
    console.log(`wrote ${controllerFile}: renders the page into a ConfigMap it owns, then sets status`);
    await run('npm', ['run', 'build'], { cwd: project });

    section(
      usesExistingCluster()
        ? 'Using the cluster in KUBECONFIG'
        : 'Starting the local control plane (etcd + kube-apiserver)',
    );
    if (!usesExistingCluster()) {
      try {
        resolveBinaries(controlPlaneDir());
      } catch {
        console.log(
          'The control plane binaries are not installed yet; installing them once (a few minutes).',
        );
        await kubeforge(['setup-control-plane'], project);
      }
    }
    cp = await startControlPlane();
    const env = { ...process.env, KUBECONFIG: cp.kubeconfigPath, LOG_LEVEL: 'info' };
    console.log(cp.local ? `kube-apiserver at ${cp.local.apiServerUrl}` : 'connected');

    section('Installing the CRDs');
    // Only the CRDs: the operator runs locally with your own credentials, so the demo never
    // touches RBAC objects of a real cluster.
    await run('kubectl', ['apply', '-f', 'config/crd/bases'], { cwd: project, env });
    await run(
      'kubectl',
      ['wait', '--for=condition=Established', 'crd/websites.web.example.com', '--timeout=60s'],
      {
        cwd: project,
        env,
      },
    );

    section('Running the operator');
    const port = await freePort();
    operator = start(
      node,
      ['dist/main.js', `--health-probe-bind-address=127.0.0.1:${port}`],
      { cwd: project, env, display: 'npm start' },
      condenseLogLine,
    );
    await waitFor('the operator to report ready', 60_000, async () =>
      (await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined,
    );
    console.log(`ready: http://127.0.0.1:${port}/readyz returns 200`);

    section('Creating a Website');
    const ns = await createNamespace(cp.kubeConfig, 'demo');
    namespace = ns;
    await run('kubectl', ['apply', '-n', ns, '-f', join(fixtures, 'sample.yaml')], {
      cwd: project,
      env,
      display: `kubectl apply -n ${ns} -f website.yaml`,
    });
    await waitFor('the Website to become Ready', 60_000, async () => {
      const ready = await run(
        'kubectl',
        [
          'get',
          'website',
          'hello',
          '-n',
          ns,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ],
        { cwd: project, env, capture: true, quiet: true },
      );
      return ready === 'True' ? true : undefined;
    });

    section('What kubectl shows');
    await run('kubectl', ['get', 'websites', '-n', ns], { cwd: project, env });
    await run(
      'kubectl',
      ['get', 'configmap', 'hello-site', '-n', ns, '-o', 'jsonpath={.data.index\\.html}'],
      { cwd: project, env },
    );
    console.log('');
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await stopAll();
  }
}

try {
  await main();
  console.log('\nDone: that operator is yours to grow — see docs/getting-started.md.');
} catch (err) {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
