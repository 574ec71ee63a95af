/**
 * From project to cluster, against the real local control plane: `install` / `uninstall`
 * (CRDs only), `deploy` / `undeploy` (config/default with an image) and `build-installer`
 * (dist/install.yaml, applied with `kubectl apply -f`). The control plane runs no kubelet and
 * no controller-manager: Deployments are stored but no pod runs them, and a deleted Namespace
 * stays Terminating, so the checks are about which objects exist.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { parseAllDocuments } from 'yaml';
import {
  kubeforge as kubeforgeOffline,
  linkDependencies,
  projectWithKind,
  tempDir,
} from './support/project.ts';
import { baseEnv, kubeforgeBin } from './support/paths.ts';
import { eventually, sh, shOk, type ShellResult } from './support/shell.ts';

let cp: ControlPlane;
let workdir: string;

before(async () => {
  cp = await startControlPlane();
  workdir = tempDir('deploy');
});

after(async () => {
  await cp.stop();
  rmSync(workdir, { recursive: true, force: true });
});

/** Runs the built CLI in `cwd` against the control plane. */
function kubeforge(args: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ShellResult> {
  return sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(kubeforgeBin)} ${args}`, {
    cwd,
    env: baseEnv({ KUBECONFIG: cp.kubeconfigPath, IMG: '', ...env }),
  });
}

const kubectl = (args: string, cwd: string): Promise<ShellResult> =>
  sh(`kubectl ${args}`, { cwd, env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }) });

/** Whether `kubectl get <what>` finds the object. */
async function exists(what: string, cwd: string): Promise<boolean> {
  const result = await kubectl(`get ${what} -o name`, cwd);
  if (result.code !== 0 && !/NotFound|not found/.test(result.stderr)) throw new Error(result.stderr);
  return result.code === 0;
}

/** A project named `name` with one kind, its dependencies linked from this checkout. */
const newProject = (name: string, group: string, kind: string): Promise<string> =>
  projectWithKind(workdir, name, group, kind);

describe('install and uninstall: the CRDs alone', () => {
  let project: string;
  before(async () => {
    project = await newProject('crd-op', 'crdtest', 'Gadget');
  });

  test('install applies the CRDs and nothing else, and is idempotent', async () => {
    for (let i = 0; i < 2; i++) {
      const result = await kubeforge('install', project);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Installing 1 CRD\(s\)\.\.\./);
    }
    assert.ok(await exists('crd gadgets.crdtest.example.com', project));
    assert.equal(await exists('namespace crd-op-system', project), false);
  });

  test('uninstall deletes them; a second uninstall has nothing to do', async () => {
    const result = await kubeforge('uninstall', project);
    assert.equal(result.code, 0, result.stderr);
    await eventually('the CRD to be gone', 30_000, async () =>
      (await exists('crd gadgets.crdtest.example.com', project)) ? undefined : true,
    );
    const again = await kubeforge('uninstall', project);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Nothing to delete/);
  });

  test('a project without kinds has no CRDs to install', async () => {
    const init = await kubeforgeOffline(
      ['init', 'empty-op', '--domain', 'example.com', '--skip-install'],
      workdir,
    );
    assert.equal(init.code, 0, init.stderr);
    const empty = join(workdir, 'empty-op');
    linkDependencies(empty);
    const result = await kubeforge('install', empty);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: the project has no CRDs to install/);
    assert.match(result.stderr, /hint: add a kind first: kubeforge create api/);
  });
});

describe('deploy and undeploy: config/default with an image', () => {
  let project: string;
  before(async () => {
    project = await newProject('deploy-op', 'deploytest', 'Widget');
  });

  test('without an image, deploy names the placeholder and applies nothing', async () => {
    const result = await kubeforge('deploy', project);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /error: no image given, and config\/manager names the placeholder "deploy-op:latest"/,
    );
    assert.match(result.stderr, /hint: .*--image <registry>\/<name>:<tag>/);
    assert.equal(await exists('namespace deploy-op-system', project), false);
    assert.equal(await exists('crd widgets.deploytest.example.com', project), false);
  });

  test('a malformed image is refused before anything is applied', async () => {
    const result = await kubeforge('deploy --image "Registry/Op:v1 x"', project);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: --image "Registry\/Op:v1 x" is not an image reference/);
    assert.equal(await exists('namespace deploy-op-system', project), false);
  });

  test('with no cluster to reach, deploy says so and names the context', async () => {
    const kubeconfig = join(workdir, 'nowhere.kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1"}}]',
        'users: [{name: nobody, user: {token: x}}]',
        'contexts: [{name: nowhere, context: {cluster: nowhere, user: nobody}}]',
        'current-context: nowhere',
        '',
      ].join('\n'),
    );
    const result = await kubeforge('deploy --image example.com/op:v1', project, { KUBECONFIG: kubeconfig });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: no cluster answers \(the current kubeconfig context "nowhere"\)/);
    assert.match(result.stderr, /hint: point kubectl at a cluster/);
  });

  test('deploy creates the namespace, CRDs, RBAC and Deployment with the image, and is idempotent', async () => {
    const result = await kubeforge('deploy --image registry.example.com/deploy-op:v0.1.0', project);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Applying \d+ object\(s\)\.\.\./);
    for (const what of [
      'namespace deploy-op-system',
      'crd widgets.deploytest.example.com',
      'serviceaccount deploy-op-controller-manager -n deploy-op-system',
      'clusterrole deploy-op-manager-role',
      'clusterrolebinding deploy-op-manager-rolebinding',
      'role deploy-op-leader-election-role -n deploy-op-system',
      'rolebinding deploy-op-leader-election-rolebinding -n deploy-op-system',
      'deployment deploy-op-controller-manager -n deploy-op-system',
    ]) {
      assert.ok(await exists(what, project), `${what} exists`);
    }
    const image = await shOk(
      "kubectl get deployment deploy-op-controller-manager -n deploy-op-system -o jsonpath='{.spec.template.spec.containers[0].image}'",
      { cwd: project, env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }) },
    );
    assert.equal(image.stdout, 'registry.example.com/deploy-op:v0.1.0');
    const again = await kubeforge('deploy', project, { IMG: 'registry.example.com/deploy-op:v0.1.0' });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /deployment\.apps\/deploy-op-controller-manager unchanged/);
    assert.equal(
      readFileSync(join(project, 'config/manager/kustomization.yaml'), 'utf8').includes(
        'registry.example.com',
      ),
      false,
      'the project files are not edited',
    );
  });

  test('undeploy deletes every object; a second undeploy has nothing left to delete', async () => {
    const result = await kubeforge('undeploy', project);
    assert.equal(result.code, 0, result.stderr);
    for (const what of [
      'deployment deploy-op-controller-manager -n deploy-op-system',
      'serviceaccount deploy-op-controller-manager -n deploy-op-system',
      'clusterrole deploy-op-manager-role',
      'clusterrolebinding deploy-op-manager-rolebinding',
    ]) {
      assert.equal(await exists(what, project), false, `${what} is gone`);
    }
    await eventually('the CRD to be gone', 30_000, async () =>
      (await exists('crd widgets.deploytest.example.com', project)) ? undefined : true,
    );
    // Without a namespace controller the Namespace stays Terminating; it is being deleted.
    const phase = await kubectl("get namespace deploy-op-system -o jsonpath='{.status.phase}'", project);
    assert.ok(phase.code !== 0 || phase.stdout === 'Terminating', `namespace phase: ${phase.stdout}`);
    const again = await kubeforge('undeploy', project);
    assert.equal(again.code, 0, again.stderr);
  });
});

describe('build-installer: one file for kubectl apply -f', () => {
  let project: string;
  before(async () => {
    project = await newProject('installer-op', 'installertest', 'Gizmo');
  });

  test('without an image it writes nothing', async () => {
    const result = await kubeforge('build-installer', project);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no image given/);
    assert.equal(existsSync(join(project, 'dist/install.yaml')), false);
  });

  test('dist/install.yaml holds everything, namespace and CRDs first, and applies', async () => {
    const result = await kubeforge('build-installer --image registry.example.com/installer-op:v1', project);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Wrote dist\/install\.yaml \(\d+ objects\)/);
    const text = readFileSync(join(project, 'dist/install.yaml'), 'utf8');
    const kinds = parseAllDocuments(text)
      .map((d) => (d.toJS() as { kind?: string } | null)?.kind)
      .filter((k) => k !== undefined);
    assert.deepEqual(kinds.slice(0, 2), ['Namespace', 'CustomResourceDefinition']);
    assert.ok(kinds.includes('Deployment') && kinds.includes('ClusterRoleBinding'));
    await shOk('kubectl apply -f dist/install.yaml', {
      cwd: project,
      env: baseEnv({ KUBECONFIG: cp.kubeconfigPath }),
    });
    assert.ok(await exists('deployment installer-op-controller-manager -n installer-op-system', project));
    assert.ok(await exists('crd gizmos.installertest.example.com', project));
    const cleanup = await kubectl('delete -f dist/install.yaml --wait=false', project);
    assert.equal(cleanup.code, 0, cleanup.stderr);
  });
});
