/**
 * CRDs that embed built-in types (the embedding fixture: a Workload with a PodTemplateSpec,
 * kubebuilder's CronJob with a JobTemplateSpec) against a real kube-apiserver: they install,
 * valid objects are accepted with the pod template's labels kept (not pruned) and upstream
 * defaults applied, invalid pod templates are rejected at the field path of the bad value.
 *
 * The groups get a unique prefix so the test can run against a shared cluster
 * (KUBEFORGE_USE_EXISTING_CLUSTER=1); the CRDs are deleted afterwards. CEL rules are checked
 * only on servers that enforce them (>= 1.25, from cp.serverVersion).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  createNamespace,
  installCRDs,
  skipUnlessServerAtLeast,
  startControlPlane,
  uninstallCRDs,
  type ControlPlane,
  type CustomResourceDefinition,
} from '@kubeforge/testing';
import { parse } from 'yaml';
import { emitCrds, loadProject } from './index.ts';
import { fixtureDir, invalidFields, kubeRequest } from './testing/index.ts';

const prefix = `embed-${randomBytes(3).toString('hex')}`;
const workloads = `${prefix}.apps.example.com`;
const cronJobs = `${prefix}.batch.tutorial.kubebuilder.io`;

/** The fixture's CRDs, moved to unique groups. */
function fixtureCrds(): CustomResourceDefinition[] {
  const { model, diagnostics } = loadProject({ projectDir: fixtureDir('embedding') });
  assert.deepEqual(diagnostics, []);
  return emitCrds(model).map((file) => {
    const crd = parse(file.contents) as CustomResourceDefinition & {
      spec: { group: string; names: { plural: string } };
    };
    const group = `${prefix}.${crd.spec.group}`;
    return { ...crd, metadata: { name: `${crd.spec.names.plural}.${group}` }, spec: { ...crd.spec, group } };
  });
}

function validWorkload(name: string): Record<string, unknown> {
  return {
    apiVersion: `${workloads}/v1`,
    kind: 'Workload',
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'front' }, annotations: { 'example.com/note': 'kept' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80, name: 'http' }],
              env: [{ name: 'MODE', value: 'prod' }],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
            },
          ],
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
        },
      },
      resources: { limits: { memory: '1Gi' } },
      env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      tolerations: [{ operator: 'Exists' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
          },
        },
      },
      ports: [{ port: 443, targetPort: 'https' }],
    },
  };
}

function validCronJob(name: string): Record<string, unknown> {
  return {
    apiVersion: `${cronJobs}/v1`,
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: {
        metadata: { labels: { job: 'hello' } },
        spec: {
          backoffLimit: 2,
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              containers: [{ name: 'hello', image: 'busybox', args: ['/bin/sh', '-c', 'date'] }],
            },
          },
        },
      },
    },
  };
}

type Edit = (object: Record<string, unknown>) => void;

/** A path into a plain object (`a.b.0.c`), for edits. */
function parentOf(object: unknown, path: string): [Record<string, unknown>, string] {
  const steps = path.split('.');
  const last = steps.pop() ?? '';
  let current = object as Record<string, unknown>;
  for (const step of steps) current = current[step] as Record<string, unknown>;
  return [current, last];
}

const set =
  (path: string, value: unknown): Edit =>
  (object) => {
    const [parent, key] = parentOf(object, path);
    parent[key] = value;
  };
const remove =
  (path: string): Edit =>
  (object) => {
    const [parent, key] = parentOf(object, path);
    Reflect.deleteProperty(parent, key);
  };

/** 1.20 reports `spec.a.b` where newer servers report `spec.a[0].b` inside lists. */
function withoutIndexes(field: string): string {
  return field.replace(/\[\d+\]/g, '');
}

describe('CRDs embedding built-in types on a real API server', () => {
  let cp: ControlPlane;
  let ns: string;
  let crds: CustomResourceDefinition[];
  const workloadsPath = (): string => `/apis/${workloads}/v1/namespaces/${ns}/workloads`;
  const cronJobsPath = (): string => `/apis/${cronJobs}/v1/namespaces/${ns}/cronjobs`;

  before(async () => {
    cp = await startControlPlane();
    crds = fixtureCrds();
    await installCRDs(cp.kubeConfig, crds, { timeoutMs: 60_000 });
    ns = await createNamespace(cp.kubeConfig, 'embedding');
  });

  after(async () => {
    await uninstallCRDs(cp.kubeConfig, crds);
    await kubeRequest(cp.kubeConfig, 'DELETE', `/api/v1/namespaces/${ns}`);
    await cp.stop();
  });

  it('accepts a valid Workload, keeps the pod template labels and applies upstream defaults', async () => {
    const response = await kubeRequest(cp.kubeConfig, 'POST', workloadsPath(), validWorkload('web'));
    assert.equal(response.status, 201, JSON.stringify(response.body));
    interface StoredSpec {
      template: {
        metadata: Record<string, unknown>;
        spec: { containers: { ports: { protocol?: string }[]; resources: unknown }[] };
      };
      ports: { protocol?: string }[];
    }
    const spec = (response.body as { spec: StoredSpec }).spec;
    assert.deepEqual(spec.template.metadata, {
      labels: { app: 'web', tier: 'front' },
      annotations: { 'example.com/note': 'kept' },
    });
    assert.equal(spec.template.spec.containers[0]?.ports[0]?.protocol, 'TCP');
    assert.equal(spec.ports[0]?.protocol, 'TCP');
    assert.deepEqual(spec.template.spec.containers[0].resources, {
      limits: { cpu: '500m', memory: '128Mi' },
      requests: { cpu: '250m' },
    });
  });

  it('prunes fields a pod template does not have', async () => {
    const object = validWorkload('pruned');
    set('spec.template.spec.bogus', true)(object);
    set('spec.template.metadata.uid', 'not-kept')(object);
    const response = await kubeRequest(cp.kubeConfig, 'POST', workloadsPath(), object);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const template = (response.body as { spec: { template: { spec: object; metadata: object } } }).spec
      .template;
    assert.equal('bogus' in template.spec, false);
    assert.equal('uid' in template.metadata, false);
  });

  const violations: readonly [string, Edit, string][] = [
    [
      'a containerPort that is not an integer',
      set('spec.template.spec.containers.0.ports.0.containerPort', 'eighty'),
      'spec.template.spec.containers[0].ports[0].containerPort',
    ],
    [
      'a container without its required name',
      remove('spec.template.spec.containers.0.name'),
      'spec.template.spec.containers[0].name',
    ],
    [
      'a pod template without containers',
      remove('spec.template.spec.containers'),
      'spec.template.spec.containers',
    ],
    [
      'a resource limit that is not a quantity',
      set('spec.template.spec.containers.0.resources.limits.cpu', 'lots'),
      'spec.template.spec.containers[0].resources.limits.cpu',
    ],
    [
      'two containers with the same name (list-map key)',
      set('spec.template.spec.containers', [
        { name: 'a', image: 'x' },
        { name: 'a', image: 'y' },
      ]),
      'spec.template.spec.containers[1]',
    ],
    ['a toleration that is not an object', set('spec.tolerations', ['NoSchedule']), 'spec.tolerations[0]'],
    ['an env var without a name', set('spec.env', [{ value: 'x' }]), 'spec.env[0].name'],
    [
      'a node selector term list that is not a list',
      set('spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms', {}),
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms',
    ],
    ['a service port without its port', set('spec.ports', [{ name: 'x' }]), 'spec.ports[0].port'],
    [
      'template labels that are not strings',
      set('spec.template.metadata.labels', { a: 1 }),
      'spec.template.metadata.labels.a',
    ],
  ];

  for (const [what, edit, field] of violations) {
    it(`rejects ${what} at ${field}`, async () => {
      const object = validWorkload(`bad-${Math.abs(hash(what))}`);
      edit(object);
      const response = await kubeRequest(cp.kubeConfig, 'POST', workloadsPath(), object);
      assert.equal(response.status, 422, JSON.stringify(response.body));
      assert.ok(
        invalidFields(response).map(withoutIndexes).includes(withoutIndexes(field)),
        `expected a cause at ${field}, got ${JSON.stringify(invalidFields(response))}`,
      );
    });
  }

  it('enforces a CEL rule written on the embedded template (servers >= 1.25)', async (t) => {
    if (skipUnlessServerAtLeast(t, cp, '1.25', 'x-kubernetes-validations (CEL)')) return;
    const object = validWorkload('too-many');
    set(
      'spec.template.spec.containers',
      ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, image: 'x' })),
    )(object);
    const response = await kubeRequest(cp.kubeConfig, 'POST', workloadsPath(), object);
    assert.equal(response.status, 422, JSON.stringify(response.body));
    assert.match(JSON.stringify(response.body), /at most 4 containers/);
  });

  it('accepts kubebuilder’s CronJob with a JobTemplateSpec and validates the job template', async () => {
    const ok = await kubeRequest(cp.kubeConfig, 'POST', cronJobsPath(), validCronJob('hello'));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const stored = (ok.body as { spec: { jobTemplate: { metadata: unknown } } }).spec.jobTemplate;
    assert.deepEqual(stored.metadata, { labels: { job: 'hello' } });
    const bad = validCronJob('bad-backoff');
    set('spec.jobTemplate.spec.backoffLimit', 'twice')(bad);
    const rejected = await kubeRequest(cp.kubeConfig, 'POST', cronJobsPath(), bad);
    assert.equal(rejected.status, 422, JSON.stringify(rejected.body));
    assert.ok(
      invalidFields(rejected).includes('spec.jobTemplate.spec.backoffLimit'),
      JSON.stringify(invalidFields(rejected)),
    );
  });
});

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + (char.codePointAt(0) ?? 0)) | 0;
  return h;
}
