/**
 * `kubeforge helm`: the chart's default render equals `kubectl kustomize config/default` (with
 * the image set) except for what Helm owns, its values change what they say, and the rendered
 * objects apply on the real local control plane.
 *
 * Helm is not installed here, so templates are rendered by e2e/support/helm-template: Go's
 * text/template, the engine Helm runs, with Helm's strict missing-key option and the few
 * functions the chart uses, written to Helm's and sprig's definitions. It is a stand-in,
 * not Helm: release hooks, `lookup`, subcharts and values schemas are not exercised. The
 * test is skipped on machines without Go.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { parse, parseAllDocuments } from 'yaml';
import { projectWithKind, tempDir } from './support/project.ts';
import { baseEnv, kubeforgeBin, repoRoot } from './support/paths.ts';
import { sh, shOk, type ShellResult } from './support/shell.ts';

const hasGo = spawnSync('go', ['version']).status === 0;
const renderer = join(repoRoot, 'e2e/support/helm-template/main.go');
const image = 'ghcr.io/acme/chart-op:v0.2.0';
const namespace = 'chart-op-system';

type Obj = Record<string, unknown> & { kind: string; metadata: Record<string, unknown> };

function documents(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

/** Values merged over the chart's defaults, like `helm template --set`. */
function merge(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || over === null) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out;
}

function helmTemplate(chart: string, overrides: Record<string, unknown> = {}, ns = namespace): Obj[] {
  const defaults = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const context = {
    Values: merge(defaults, overrides),
    Release: { Name: 'chart-op', Namespace: ns, Service: 'Helm' },
    Chart: parse(readFileSync(join(chart, 'Chart.yaml'), 'utf8')) as unknown,
  };
  const out = execFileSync('go', ['run', renderer, chart], {
    input: JSON.stringify(context),
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod', GO111MODULE: 'off' },
  });
  return documents(out);
}

/** What Helm adds or owns, taken away: the comparison's documented "modulo". */
function withoutHelmOwned(o: Obj): Obj {
  const copy = structuredClone(o);
  const labels = copy.metadata.labels as Record<string, string> | undefined;
  if (labels?.['app.kubernetes.io/managed-by'] !== undefined)
    labels['app.kubernetes.io/managed-by'] = 'kustomize';
  const annotations = copy.metadata.annotations as Record<string, string> | undefined;
  if (annotations !== undefined) {
    delete annotations['helm.sh/resource-policy'];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  return copy;
}

const key = (o: Obj): string => JSON.stringify([o.kind, o.metadata.namespace, o.metadata.name]);
const byKey = (objects: readonly Obj[]): Map<string, Obj> => new Map(objects.map((o) => [key(o), o]));

describe(
  'kubeforge helm',
  { skip: hasGo ? false : 'Go is not installed (it renders the chart templates)' },
  () => {
    let workdir: string;
    let project: string;
    let chart: string;
    let cp: ControlPlane;

    const kubeforge = (args: string): Promise<ShellResult> =>
      sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(kubeforgeBin)} ${args}`, {
        cwd: project,
        env: baseEnv({ IMG: '', KUBECONFIG: cp.kubeconfigPath }),
      });

    before(async () => {
      cp = await startControlPlane();
      workdir = tempDir('helm');
      project = await projectWithKind(workdir, 'chart-op', 'charttest', 'Gear');
      chart = join(project, 'dist/chart');
    });

    after(async () => {
      await cp.stop();
      rmSync(workdir, { recursive: true, force: true });
    });

    test('without an image it writes no chart', async () => {
      const result = await kubeforge('helm');
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /error: no image given, and config\/manager names the placeholder "chart-op:latest"/,
      );
      assert.equal(existsSync(chart), false);
    });

    test('the default render equals the kustomize render, but for the Namespace and what Helm owns', async () => {
      const result = await kubeforge(`helm --image ${image}`);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Wrote the chart dist\/chart \(\d+ files\)/);
      const rendered = helmTemplate(chart);
      const kustomized = documents(
        (await shOk('kubectl kustomize config/default', { cwd: project, env: baseEnv() })).stdout,
      ).map((o) => {
        if (o.kind !== 'Deployment') return o;
        const text = JSON.stringify(o).replace('"image":"chart-op:latest"', `"image":"${image}"`);
        return JSON.parse(text) as Obj;
      });
      const expected = byKey(kustomized.filter((o) => o.kind !== 'Namespace'));
      const actual = byKey(rendered.map(withoutHelmOwned));
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
      for (const [name, object] of expected) assert.deepEqual(actual.get(name), object, name);
      const labels = rendered.map(
        (o) => (o.metadata.labels as Record<string, string> | undefined)?.['app.kubernetes.io/managed-by'],
      );
      assert.ok(labels.includes('Helm') && !labels.includes('kustomize'));
      const crd = rendered.find((o) => o.kind === 'CustomResourceDefinition');
      assert.deepEqual(crd?.metadata.annotations, { 'helm.sh/resource-policy': 'keep' });
    });

    test('values set the image, replicas, resources, leader election, watched namespace and switches', () => {
      const rendered = helmTemplate(chart, {
        manager: {
          image: { repository: 'registry.local/op', tag: 'dev' },
          replicas: 3,
          resources: { limits: { memory: '1Gi' } },
          leaderElection: false,
          watchNamespace: 'apps',
        },
        crd: { enable: false },
        rbac: { enable: false },
        metrics: { enable: true },
      });
      const kinds = rendered.map((o) => o.kind).sort();
      assert.deepEqual(kinds, ['Deployment', 'Service']);
      const deployment = rendered.find((o) => o.kind === 'Deployment') as unknown as {
        spec: { replicas: number; template: { spec: { containers: Record<string, unknown>[] } } };
      };
      const container = deployment.spec.template.spec.containers[0] ?? {};
      assert.equal(deployment.spec.replicas, 3);
      assert.equal(container.image, 'registry.local/op:dev');
      // Values merge over the defaults, as with `helm install --set`.
      assert.deepEqual(container.resources, {
        limits: { cpu: '500m', memory: '1Gi' },
        requests: { cpu: '10m', memory: '64Mi' },
      });
      // Leader election off drops its flag; the probe and secure metrics addresses stay.
      assert.deepEqual(container.args, ['--health-probe-bind-address=:8081', '--metrics-bind-address=:8443']);
      assert.deepEqual((container.env as { name: string; value?: string }[]).at(-1), {
        name: 'WATCH_NAMESPACE',
        value: 'apps',
      });
      const service = rendered.find((o) => o.kind === 'Service') as unknown as {
        metadata: { namespace: string };
        spec: { ports: { port: number; targetPort: string }[] };
      };
      assert.equal(service.metadata.namespace, namespace);
      // config/default's own metrics Service: HTTPS on 8443 to the container's metrics port.
      assert.deepEqual(service.spec.ports[0], {
        name: 'https',
        port: 8443,
        protocol: 'TCP',
        targetPort: 'metrics',
      });
    });

    test('the rendered chart applies to the real API server in another namespace', async () => {
      const env = baseEnv({ KUBECONFIG: cp.kubeconfigPath });
      await shOk('kubectl create namespace chart-release', { cwd: project, env });
      const rendered = helmTemplate(chart, { metrics: { enable: true } }, 'chart-release');
      const stream = rendered.map((o) => `---\n${JSON.stringify(o)}\n`).join('');
      const applied = await shOk('kubectl apply -f -', { cwd: project, env, input: stream });
      assert.match(applied.stdout, /deployment\.apps\/chart-op-controller-manager created/);
      const sa = await shOk(
        "kubectl get rolebinding chart-op-leader-election-rolebinding -n chart-release -o jsonpath='{.subjects[0].namespace}'",
        { cwd: project, env },
      );
      assert.equal(sa.stdout, 'chart-release');
    });
  },
);
