import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
  Watch,
  type KubeConfig,
} from '@kubernetes/client-node';
import {
  binaryVersions,
  controlPlaneDir,
  createNamespace,
  installCRDs,
  resolveBinaries,
  startControlPlane,
  type ControlPlane,
} from './index.ts';

const WIDGETS_CRD = fileURLToPath(new URL('./testdata/widgets.yaml', import.meta.url));
const widgets = { group: 'testing.kubeforge.dev', version: 'v1', plural: 'widgets' } as const;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pidsOf(cp: ControlPlane): number[] {
  const dir = cp.local?.dir ?? assert.fail('local control plane expected');
  return readFileSync(`${dir}/pgids`, 'utf8').trim().split('\n').map(Number);
}

async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function apiStatus(error: unknown): { code: number; message: string; causes: { field?: string }[] } {
  assert.ok(error instanceof ApiException, `expected an ApiException, got ${String(error)}`);
  const body = (typeof error.body === 'string' ? JSON.parse(error.body) : error.body) as {
    message: string;
    details?: { causes?: { field?: string }[] };
  };
  return { code: error.code, message: body.message, causes: body.details?.causes ?? [] };
}

describe('a local control plane', () => {
  let cp: ControlPlane;
  before(async () => {
    // What a local control plane offers (token users, RBAC, kubectl with its kubeconfig).
    cp = await startControlPlane({ users: [{ name: 'alice' }], useExistingCluster: false });
    await installCRDs(cp.kubeConfig, [WIDGETS_CRD]);
  });
  after(() => cp.stop());

  test('kubectl works with its kubeconfig', () => {
    const out = execFileSync('kubectl', ['--kubeconfig', cp.kubeconfigPath, 'get', 'ns', '-o', 'name'], {
      encoding: 'utf8',
    });
    assert.match(out, /namespace\/default/);
    assert.match(out, /namespace\/kube-system/);
  });

  test('an installed CRD is Established and a valid object is created and read back', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'crd');
    const api = cp.kubeConfig.makeApiClient(CustomObjectsApi);
    await api.createNamespacedCustomObject({
      ...widgets,
      namespace: ns,
      body: {
        apiVersion: 'testing.kubeforge.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w1' },
        spec: { size: 'small', replicas: 2 },
      },
    });
    const read = (await api.getNamespacedCustomObject({ ...widgets, namespace: ns, name: 'w1' })) as {
      spec: unknown;
      metadata: { uid?: string };
    };
    assert.deepEqual(read.spec, { size: 'small', replicas: 2 });
    assert.ok(read.metadata.uid);
  });

  test('zero values ("", 0, false) are values, not null', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'zero');
    const api = cp.kubeConfig.makeApiClient(CustomObjectsApi);
    const spec = { size: 'small', replicas: 0, note: '', paused: false };
    await api.createNamespacedCustomObject({
      ...widgets,
      namespace: ns,
      body: { apiVersion: 'testing.kubeforge.dev/v1', kind: 'Widget', metadata: { name: 'zero' }, spec },
    });
    const read = (await api.getNamespacedCustomObject({ ...widgets, namespace: ns, name: 'zero' })) as {
      spec: unknown;
    };
    assert.deepEqual(read.spec, spec);
  });

  test('an object that violates the schema is rejected with the field path', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'invalid');
    const api = cp.kubeConfig.makeApiClient(CustomObjectsApi);
    const error = await api
      .createNamespacedCustomObject({
        ...widgets,
        namespace: ns,
        body: {
          apiVersion: 'testing.kubeforge.dev/v1',
          kind: 'Widget',
          metadata: { name: 'bad' },
          spec: { size: 'huge', replicas: -1 },
        },
      })
      .then(
        () => assert.fail('the server accepted an invalid object'),
        (e: unknown) => e,
      );
    const status = apiStatus(error);
    assert.equal(status.code, 422);
    assert.deepEqual(status.causes.map((c) => c.field).sort(), ['spec.replicas', 'spec.size']);
  });

  test('a watch delivers ADDED, MODIFIED and DELETED', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'watch');
    const core = cp.kubeConfig.makeApiClient(CoreV1Api);
    const seen: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const request = await new Watch(cp.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      {},
      (type: string, object: { metadata: { name: string } }) => {
        seen.push(`${type} ${object.metadata.name}`);
        if (type === 'DELETED') done();
      },
      (error: unknown) => {
        // The watch ends with an AbortError when the test aborts it below.
        if (error && !(error instanceof Error && error.name === 'AbortError')) console.error(error);
      },
    );
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'cm' }, data: { a: '1' } },
    });
    await core.replaceNamespacedConfigMap({
      namespace: ns,
      name: 'cm',
      body: { metadata: { name: 'cm' }, data: { a: '2' } },
    });
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'cm' });
    await finished;
    request.abort();
    assert.deepEqual(seen, ['ADDED cm', 'MODIFIED cm', 'DELETED cm']);
  });

  test('RBAC is enforced: a token without rights gets 403 until a role grants it', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'rbac');
    const asAlice = cp.kubeConfigFor('alice').makeApiClient(CoreV1Api);
    const denied = await asAlice.listNamespacedConfigMap({ namespace: ns }).then(
      () => assert.fail('alice could list configmaps without a role'),
      (e: unknown) => e,
    );
    assert.equal(apiStatus(denied).code, 403);
    assert.match(apiStatus(denied).message, /User "alice" cannot list resource "configmaps"/);

    const rbac = cp.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: ns,
      body: {
        metadata: { name: 'read-configmaps' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'alice-reads' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-configmaps' },
        subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }],
      },
    });
    const list = await asAlice.listNamespacedConfigMap({ namespace: ns });
    assert.ok(Array.isArray(list.items));
  });

  test('an existing cluster is used when KUBEFORGE_USE_EXISTING_CLUSTER is set', async () => {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = cp.kubeconfigPath;
    try {
      const existing = await startControlPlane({ useExistingCluster: true });
      assert.equal(existing.local, undefined);
      assert.equal(existing.kubeconfigPath, cp.kubeconfigPath);
      assert.equal(existing.kubeConfig.getCurrentCluster()?.server, cp.local?.apiServerUrl);
      const namespaces = await existing.kubeConfig.makeApiClient(CoreV1Api).listNamespace();
      assert.ok(namespaces.items.some((n) => n.metadata?.name === 'default'));
      await existing.stop();
      assert.ok(cp.local && existsSync(cp.local.dir), 'stopping an existing cluster must not touch it');
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });
});

describe('control plane lifecycle', () => {
  test('stop() ends both processes and removes the temporary directory', async () => {
    const cp = await startControlPlane({ useExistingCluster: false });
    const pids = pidsOf(cp);
    const dir = cp.local?.dir ?? '';
    assert.equal(pids.length, 2);
    assert.ok(pids.every(isAlive));
    await cp.stop();
    assert.ok(!existsSync(dir), `${dir} still exists`);
    assert.deepEqual(pids.filter(isAlive), []);
    await cp.stop(); // idempotent
  });

  test('two control planes run at once, isolated from each other', async () => {
    const [a, b] = await Promise.all([
      startControlPlane({ useExistingCluster: false }),
      startControlPlane({ useExistingCluster: false }),
    ]);
    try {
      assert.notEqual(a.local?.apiServerUrl, b.local?.apiServerUrl);
      const nsA = await createNamespace(a.kubeConfig, 'only-in-a');
      const namesInB = (await b.kubeConfig.makeApiClient(CoreV1Api).listNamespace()).items.map(
        (n) => n.metadata?.name,
      );
      assert.ok(!namesInB.includes(nsA));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test('a SIGKILLed test process leaves no server or directory behind', async () => {
    const script = `
      import { startControlPlane } from '@kubeforge/testing';
      import { readFileSync } from 'node:fs';
      const cp = await startControlPlane({ useExistingCluster: false });
      const pids = readFileSync(cp.local.dir + '/pgids', 'utf8').trim().split('\\n').map(Number);
      console.log(JSON.stringify({ dir: cp.local.dir, pids }));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(
      process.execPath,
      ['--conditions=kubeforge-source', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        cwd: fileURLToPath(new URL('..', import.meta.url)),
      },
    );
    let output = '';
    const started = await new Promise<{ dir: string; pids: number[] }>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) resolve(JSON.parse(output) as { dir: string; pids: number[] });
      });
      child.on('exit', (code) => reject(new Error(`child exited early with ${code ?? 'a signal'}`)));
    });
    assert.ok(started.pids.every(isAlive));
    child.kill('SIGKILL');
    await eventually(
      () => !started.pids.some(isAlive) && !existsSync(started.dir),
      15_000,
      'the watchdog cleaned up',
    );
  });

  test('a start failure reports the server log', async () => {
    await assert.rejects(
      startControlPlane({ apiServerFlags: ['--no-such-flag'], useExistingCluster: false }),
      (error: Error) => {
        assert.match(error.message, /kube-apiserver exited during start-up/);
        assert.match(error.message, /unknown flag: --no-such-flag/);
        return true;
      },
    );
  });

  test('missing binaries give an error naming the setup command', async () => {
    await assert.rejects(
      startControlPlane({ binaryDir: '/nonexistent/kubeforge', useExistingCluster: false }),
      (error: Error) => {
        assert.match(error.message, /control plane binaries not found: \/nonexistent\/kubeforge\/etcd/);
        assert.match(error.message, /npm run setup-control-plane/);
        assert.match(error.message, /kubeforge setup-control-plane/);
        return true;
      },
    );
  });

  test("the server version is the binary's, and the server starts with the flags that version takes", async () => {
    const cp = await startControlPlane({ useExistingCluster: false });
    try {
      const expected = binaryVersions(resolveBinaries()).kubeApiServer;
      assert.equal(cp.serverVersion.gitVersion, expected.gitVersion);
      const version = execFileSync(
        'kubectl',
        ['--kubeconfig', cp.kubeconfigPath, 'get', '--raw', '/version'],
        {
          encoding: 'utf8',
        },
      );
      assert.ok(JSON.parse(version) as unknown, 'the server answers /version');
    } finally {
      await cp.stop();
    }
  });

  test('an etcd older than the kube-apiserver supports is refused before anything starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-fake-binaries-'));
    try {
      writeExecutable(join(dir, 'kube-apiserver'), 'echo "Kubernetes v1.34.9"');
      writeExecutable(join(dir, 'etcd'), 'echo "etcd Version: 3.4.23"; echo "Git SHA: x"');
      await assert.rejects(
        startControlPlane({ binaryDir: dir, useExistingCluster: false }),
        (error: Error) => {
          assert.match(error.message, /kube-apiserver v1\.34\.9 needs etcd 3\.5 or newer/);
          assert.match(error.message, /is v3\.4\.23/);
          assert.match(error.message, /npm run setup-control-plane/);
          return true;
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('KUBEBUILDER_ASSETS chooses the binaries, before KUBEFORGE_CONTROL_PLANE_DIR and the default', () => {
    const env = { HOME: '/home/u', KUBEBUILDER_ASSETS: '/assets', KUBEFORGE_CONTROL_PLANE_DIR: '/kf' };
    assert.equal(controlPlaneDir(env), '/assets');
    assert.equal(controlPlaneDir({ ...env, KUBEBUILDER_ASSETS: '' }), '/kf');
    assert.equal(
      controlPlaneDir({ HOME: '/home/u', XDG_CACHE_HOME: '/c' }),
      '/c/kubeforge/control-plane/1.20.2',
    );
  });
});

function writeExecutable(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

export type { KubeConfig };
