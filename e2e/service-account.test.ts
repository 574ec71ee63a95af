/**
 * The scaffolded operator under its own identity, the way its Pod runs it: the ServiceAccount
 * and roles the project's installer holds (`kubeforge build-installer`'s dist/install.yaml), a token from the TokenRequest API, the in-cluster layout (a directory standing
 * in for /var/run/secrets/kubernetes.io/serviceaccount, KUBERNETES_SERVICE_HOST/PORT) and no
 * kubeconfig. It reconciles without a single 403; its /metrics answers only scrapers RBAC
 * allows; and with one `@rbac` tag removed it fails naming the verb, the resource and the tag.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import {
  createNamespace,
  createServiceAccountIdentity,
  installCRDs,
  startControlPlane,
  type ControlPlane,
  type ServiceAccountIdentity,
} from '@kubeforge/testing';
import { kubeforge, linkDependencies, tempDir } from './support/project.ts';
import { baseEnv, repoRoot, testdata } from './support/paths.ts';
import { background, eventually, freePort, shOk, type Background } from './support/shell.ts';
import { sequentialSteps } from './support/steps.ts';

const controller = 'src/controllers/website.controller.ts';
const configMapRule =
  ' * @rbac groups=core resources=configmaps verbs=get;list;watch;create;update;patch;delete\n';

/** GET /metrics over HTTPS (the operator's certificate is self-signed, as in a cluster without cert-manager). */
function scrape(url: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
    const req = request(`${url}/metrics`, { rejectUnauthorized: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

describe('the scaffolded operator under its own ServiceAccount', { timeout: 600_000 }, () => {
  const workdir = tempDir('identity');
  const project = join(workdir, 'website-operator');
  const step = sequentialSteps();
  let cp: ControlPlane;
  let identity: ServiceAccountIdentity | undefined;
  let operator: Background | undefined;
  let namespace: string;
  const kubectlEnv = (): NodeJS.ProcessEnv => baseEnv({ KUBECONFIG: cp.kubeconfigPath });

  /** What a user ships: `kubeforge build-installer`'s dist/install.yaml, rebuilt from the project. */
  const installer = async (): Promise<string> => {
    const built = await kubeforge(
      ['build-installer', '--image', 'registry.example.com/website-operator:v0.1.0'],
      project,
    );
    assert.equal(built.code, 0, built.stderr);
    return readFileSync(join(project, 'dist/install.yaml'), 'utf8');
  };

  /** Runs src/main.ts as the Pod would: in-cluster credentials only, no kubeconfig. */
  const startOperator = (
    as: ServiceAccountIdentity,
    ports: { probes: number; metrics: number },
  ): Background => {
    const { KUBECONFIG: _kubeconfig, ...env } = baseEnv();
    return background('node src/main.ts --leader-elect', {
      cwd: project,
      env: {
        ...env,
        HOME: workdir, // no ~/.kube/config to fall back on
        ...as.env,
        POD_NAMESPACE: as.namespace,
        PROBE_ADDRESS: `127.0.0.1:${ports.probes}`,
        METRICS_ADDRESS: `127.0.0.1:${ports.metrics}`,
        LOG_LEVEL: 'info',
      },
    });
  };

  before(async () => {
    cp = await startControlPlane();
  });

  after(async () => {
    await operator?.stop();
    identity?.cleanup();
    await cp.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  step('a project with the Website controller is generated', async () => {
    const init = await kubeforge(
      ['init', 'website-operator', '--domain', 'example.com', '--skip-install'],
      workdir,
    );
    assert.equal(init.code, 0, init.stderr);
    linkDependencies(project);
    symlinkSync(join(repoRoot, 'packages/api'), join(project, 'node_modules/@kubeforge/api'), 'dir');
    const api = await kubeforge(
      ['create', 'api', '--group', 'web', '--version', 'v1', '--kind', 'Website'],
      project,
    );
    assert.equal(api.code, 0, api.stderr);
    copyFileSync(
      join(testdata, 'website/website.ts'),
      join(project, 'src/apis/web.example.com/v1/website.ts'),
    );
    copyFileSync(join(testdata, 'website/website.controller.ts'), join(project, controller));
    const generated = await kubeforge(['generate'], project);
    assert.equal(generated.code, 0, generated.stderr);
    await installCRDs(cp.kubeConfig, [join(project, 'config/crd/bases')]);
    namespace = await createNamespace(cp.kubeConfig, 'sites');
  });

  step(
    "the ServiceAccount and roles of build-installer's dist/install.yaml are applied and a token issued",
    async () => {
      identity = await createServiceAccountIdentity(cp.kubeConfig, { manifests: await installer() });
      assert.equal(
        identity.username,
        'system:serviceaccount:website-operator-system:website-operator-controller-manager',
      );
      assert.ok(identity.applied.includes('ClusterRole website-operator-manager-role'));
      assert.ok(identity.applied.includes('ClusterRole website-operator-metrics-auth-role'));
      assert.ok(
        identity.applied.includes('Role website-operator-system/website-operator-leader-election-role'),
      );
      assert.ok(identity.skipped.some((s) => s.startsWith('Deployment website-operator-controller-manager')));
    },
  );

  step(
    'the operator reconciles with only the generated permissions, and no request is forbidden',
    async () => {
      const as = identity ?? assert.fail('no identity');
      const ports = { probes: await freePort(), metrics: await freePort() };
      operator = startOperator(as, ports);
      await eventually('the operator to be ready', 60_000, async () =>
        (await fetch(`http://127.0.0.1:${ports.probes}/readyz`)).ok ? true : undefined,
      );
      writeFileSync(
        join(workdir, 'hello.yaml'),
        readFileSync(join(testdata, 'website/sample.yaml'), 'utf8').replace(
          'name: hello',
          `name: hello\n  namespace: ${namespace}`,
        ),
      );
      await shOk(`kubectl apply -f ${join(workdir, 'hello.yaml')}`, { cwd: project, env: kubectlEnv() });
      await eventually('hello to be Ready', 60_000, async () => {
        const { stdout } = await shOk(
          `kubectl get website hello -n ${namespace} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`,
          { cwd: project, env: kubectlEnv() },
        );
        return stdout === 'True' ? true : undefined;
      });
      await shOk(`kubectl get configmap hello-site -n ${namespace}`, { cwd: project, env: kubectlEnv() });
      assert.doesNotMatch(operator.output(), /forbidden/i);

      // /metrics: HTTPS, 401 without a token, 403 for a ServiceAccount without metrics-reader,
      // the metrics for one bound to the scaffolded metrics-reader ClusterRole.
      const metricsUrl = `https://127.0.0.1:${ports.metrics}`;
      assert.equal((await scrape(metricsUrl)).status, 401);
      const accounts = (name: string, reader: boolean): string =>
        [
          `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${name}, namespace: monitoring }`,
          ...(reader
            ? [
                `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: { name: ${name}-metrics-reader }\n` +
                  `roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: website-operator-metrics-reader }\n` +
                  `subjects: [{ kind: ServiceAccount, name: ${name}, namespace: monitoring }]`,
              ]
            : []),
        ].join('\n---\n');
      const stranger = await createServiceAccountIdentity(cp.kubeConfig, {
        manifests: accounts('stranger', false),
      });
      const prometheus = await createServiceAccountIdentity(cp.kubeConfig, {
        manifests: accounts('prometheus', true),
      });
      stranger.cleanup();
      prometheus.cleanup();
      assert.equal((await scrape(metricsUrl, stranger.token)).status, 403);
      const scraped = await scrape(metricsUrl, prometheus.token);
      assert.equal(scraped.status, 200, scraped.body);
      assert.match(
        scraped.body,
        /controller_runtime_reconcile_total\{controller="website",result="success"\} [1-9]/,
      );
      assert.match(
        scraped.body,
        /rest_client_requests_total\{code="200",method="GET",host="127\.0\.0\.1:\d+"\} [1-9]/,
      );
      assert.equal((await fetch(`http://127.0.0.1:${ports.probes}/metrics`)).status, 404);
      await operator.stop();
      operator = undefined;
    },
  );

  step('without its configmaps @rbac tag the operator fails naming the verb, resource and tag', async () => {
    const source = readFileSync(join(project, controller), 'utf8');
    assert.ok(source.includes(configMapRule));
    writeFileSync(join(project, controller), source.replace(configMapRule, ''));
    const generated = await kubeforge(['generate'], project);
    assert.equal(generated.code, 0, generated.stderr);
    assert.doesNotMatch(readFileSync(join(project, 'config/rbac/role.yaml'), 'utf8'), /configmaps/);
    identity?.cleanup();
    identity = await createServiceAccountIdentity(cp.kubeConfig, { manifests: await installer() });
    operator = startOperator(identity, { probes: await freePort(), metrics: await freePort() });
    const line = await operator.waitForOutput(/cannot list resource/, 60_000);
    assert.match(
      line,
      /User \\?"system:serviceaccount:website-operator-system:website-operator-controller-manager\\?" cannot list resource \\?"configmaps\\?" in API group \\?"\\?"/,
    );
    assert.match(line, /add `@rbac groups=core resources=configmaps verbs=list`/);
    await operator.stop();
    operator = undefined;
  });

  step('restricted to one namespace, it gets Roles, not a ClusterRole, and reconciles there', async () => {
    const restricted = 'sites-restricted';
    const source = readFileSync(join(project, controller), 'utf8');
    writeFileSync(
      join(project, controller),
      source
        .replace(
          ' * @rbac groups=web.example.com resources=websites/finalizers verbs=update\n',
          `$&${configMapRule}`,
        )
        .replace(/^( \* @rbac .*)$/gm, `$1 namespace=${restricted}`),
    );
    const generated = await kubeforge(['generate'], project);
    assert.equal(generated.code, 0, generated.stderr);
    const role = readFileSync(join(project, 'config/rbac/role.yaml'), 'utf8');
    assert.doesNotMatch(role, /kind: ClusterRole/);
    assert.match(role, new RegExp(`kind: Role\nmetadata:\n  name: manager-role\n  namespace: ${restricted}`));
    // config/rbac as written (config/default's kustomize namespace would move the Role).
    identity?.cleanup();
    identity = await createServiceAccountIdentity(cp.kubeConfig, {
      manifests: { paths: [join(project, 'config/rbac')] },
    });
    assert.ok(identity.applied.includes(`Role ${restricted}/manager-role`));
    assert.ok(identity.applied.includes(`RoleBinding ${restricted}/manager-rolebinding`));
    const { KUBECONFIG: _kubeconfig, ...env } = baseEnv();
    const ports = { probes: await freePort(), metrics: await freePort() };
    operator = background('node src/main.ts', {
      cwd: project,
      env: {
        ...env,
        HOME: workdir,
        ...identity.env,
        WATCH_NAMESPACE: restricted,
        PROBE_ADDRESS: `127.0.0.1:${ports.probes}`,
        METRICS_ADDRESS: '0',
      },
    });
    await eventually('the restricted operator to be ready', 60_000, async () =>
      (await fetch(`http://127.0.0.1:${ports.probes}/readyz`)).ok ? true : undefined,
    );
    writeFileSync(
      join(workdir, 'restricted.yaml'),
      readFileSync(join(testdata, 'website/sample.yaml'), 'utf8').replace(
        'name: hello',
        `name: hello\n  namespace: ${restricted}`,
      ),
    );
    await shOk(`kubectl apply -f ${join(workdir, 'restricted.yaml')}`, { cwd: project, env: kubectlEnv() });
    await eventually('the restricted hello to be Ready', 60_000, async () => {
      const { stdout } = await shOk(
        `kubectl get website hello -n ${restricted} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`,
        { cwd: project, env: kubectlEnv() },
      );
      return stdout === 'True' ? true : undefined;
    });
    assert.doesNotMatch(operator.output(), /forbidden/i);
  });
});
