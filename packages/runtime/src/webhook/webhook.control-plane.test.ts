/**
 * Webhooks against a real kube-apiserver: kubectl sees the validator's field errors and
 * warnings, defaults land on stored objects, a kind with two differently shaped versions
 * round-trips through the conversion webhook without losing a field, and a webhook that is
 * down fails writes under `failurePolicy: Fail` and lets them through under `Ignore`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createNamespace,
  installCRDs,
  installWebhooks,
  startControlPlane,
  type ControlPlane,
  type InstalledWebhooks,
  type WebhookConfiguration,
} from '@kubeforge/testing';
import { createManager } from '../manager/manager.ts';
import type { Manager } from '../manager/types.ts';
import { noopLogger } from '../log/logger.ts';
import type { KubeObject } from '../api/index.ts';
import { admission, allow, deny, patchResult } from './admission.ts';
import { fileCertificates } from './certs/file-source.ts';
import { fieldError } from './field-errors.ts';
import { eventually, kubectl } from './testdata/kubectl.ts';
import { group, widgetConversion, widgetDefaulting, widgetValidation } from './testdata/widgets.ts';

const crdPath = fileURLToPath(new URL('./testdata/widgets.crd.yaml', import.meta.url));
const manifestsPath = fileURLToPath(new URL('./testdata/manifests.yaml', import.meta.url));
let cp: ControlPlane;
let namespace: string;
let installed: InstalledWebhooks;
let manager: Manager;
let running: Promise<void>;

const rules = (...operations: string[]): object[] => [
  { apiGroups: [group], apiVersions: ['v2'], resources: ['widgets'], operations },
];
const common = {
  sideEffects: 'None',
  admissionReviewVersions: ['v1', 'v1beta1'],
  timeoutSeconds: 10,
  rules: rules('CREATE', 'UPDATE'),
};

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/** Raw handlers for a built-in kind: no secrets in ConfigMaps, and a label on each one. */
const configMapGuard = admission<ConfigMap>({ path: '/guard-configmaps', mutating: false }, (request) => {
  const keys = Object.keys(request.object?.data ?? {}).filter((key) => /password/i.test(key));
  if (keys.length === 0) return allow();
  return deny('Invalid', `ConfigMap ${request.name ?? ''} holds a password; use a Secret`, {
    causes: keys.map((key) => fieldError.forbidden(`data[${key}]`, 'passwords belong in Secrets')),
  });
});
const configMapLabel = admission<ConfigMap>({ path: '/label-configmaps', mutating: true }, (request) => {
  const object = request.object;
  if (object === undefined) return allow();
  const labelled = structuredClone(object);
  labelled.metadata.labels = { ...labelled.metadata.labels, 'kubeforge.dev/seen': 'true' };
  return patchResult(object, labelled);
});
const configMapRules = [
  { apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE'] },
];

/** A validator with a bug, served under both failure policies. */
const throwing = admission({ path: '/buggy', mutating: false, name: 'buggy' }, () => {
  throw new Error('the validator has a bug');
});
const buggy = (failurePolicy: 'Fail' | 'Ignore'): WebhookConfiguration => ({
  kind: 'ValidatingWebhookConfiguration',
  metadata: { name: `buggy-${failurePolicy.toLowerCase()}` },
  webhooks: [
    {
      name: `buggy-${failurePolicy.toLowerCase()}.${group}`,
      ...common,
      failurePolicy,
      objectSelector: { matchLabels: { 'buggy-test': failurePolicy } },
      clientConfig: { service: { path: throwing.path } },
    },
  ],
});

/** A webhook nobody serves: port 1 on loopback refuses connections. */
function downWebhook(failurePolicy: 'Fail' | 'Ignore'): WebhookConfiguration {
  return {
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: `down-${failurePolicy.toLowerCase()}` },
    webhooks: [
      {
        name: `down-${failurePolicy.toLowerCase()}.${group}`,
        ...common,
        failurePolicy,
        objectSelector: { matchLabels: { 'down-test': failurePolicy } },
        clientConfig: { url: 'https://127.0.0.1:1/validate' },
      },
    ],
  };
}

test('the manifests name the paths the builders serve', () => {
  const text = readFileSync(manifestsPath, 'utf8');
  assert.ok(text.includes(`path: ${widgetDefaulting.path} }`));
  assert.ok(text.includes(`path: ${widgetValidation.path} }`));
});

before(async () => {
  cp = await startControlPlane();
  await installCRDs(cp.kubeConfig, [crdPath]);
  namespace = await createNamespace(cp.kubeConfig, 'webhooks');
  installed = await installWebhooks(cp.kubeConfig, {
    configurations: [
      // The Widget webhooks from YAML, as a project's config/webhook/manifests.yaml.
      manifestsPath,
      {
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'configmaps-guard' },
        webhooks: [
          {
            name: `guard.configmaps.${group}`,
            ...common,
            rules: configMapRules,
            failurePolicy: 'Fail',
            objectSelector: { matchLabels: { guarded: 'true' } },
            clientConfig: { service: { path: configMapGuard.path } },
          },
        ],
      },
      {
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'configmaps-label' },
        webhooks: [
          {
            name: `label.configmaps.${group}`,
            ...common,
            rules: configMapRules,
            failurePolicy: 'Fail',
            objectSelector: { matchLabels: { guarded: 'true' } },
            clientConfig: { service: { path: configMapLabel.path } },
          },
        ],
      },
      buggy('Fail'),
      buggy('Ignore'),
    ],
    conversionCRDs: [`widgets.${group}`],
  });
  // The down webhooks point at nothing; installWebhooks would point them at the test server.
  for (const policy of ['Fail', 'Ignore'] as const) {
    const body = { apiVersion: 'admissionregistration.k8s.io/v1', ...downWebhook(policy) };
    const result = await kubectl(cp.kubeconfigPath, ['apply', '-f', '-'], JSON.stringify(body));
    assert.equal(result.code, 0, result.stderr);
  }
  manager = createManager({
    kubeConfig: cp.kubeConfig,
    logger: noopLogger,
    handleSignals: false,
    exit: () => undefined,
    probes: { port: 0, host: '127.0.0.1' },
    metricsServer: { port: 0, host: '127.0.0.1', secure: false },
    webhook: {
      port: installed.port,
      host: '127.0.0.1',
      certificates: fileCertificates({ dir: installed.certDir }),
    },
  });
  manager.addWebhook(widgetDefaulting);
  manager.addWebhook(widgetValidation);
  manager.addWebhook(widgetConversion);
  manager.addWebhook(configMapGuard);
  manager.addWebhook(configMapLabel);
  manager.addWebhook(throwing);
  running = manager.start();
  await eventually(async () => (await fetch(`${manager.probeUrl}/readyz`)).status === 200, '/readyz');
  // The API server picks new webhook configurations up asynchronously.
  await eventually(async () => {
    const r = await apply({ metadata: { name: 'probe' }, spec: { replicas: 1 } });
    return r.code === 0;
  }, 'the webhooks to take effect');
});

after(async () => {
  // before() may have failed part way.
  const started = manager as Manager | undefined;
  await started?.stop();
  await running;
  await (installed as InstalledWebhooks | undefined)?.uninstall();
  await (cp as ControlPlane | undefined)?.stop();
});

function widget(version: 'v1' | 'v2', body: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: `${group}/${version}`,
    kind: 'Widget',
    ...body,
    metadata: { namespace, ...(body.metadata as object) },
  });
}

function apply(body: Record<string, unknown>, version: 'v1' | 'v2' = 'v2'): ReturnType<typeof kubectl> {
  return kubectl(cp.kubeconfigPath, ['apply', '-f', '-'], widget(version, body));
}

async function get(
  name: string,
  version: 'v1' | 'v2',
): Promise<{ metadata: { annotations?: Record<string, string> }; spec: Record<string, unknown> }> {
  const result = await kubectl(cp.kubeconfigPath, [
    'get',
    `widgets.${version}.${group}`,
    '-n',
    namespace,
    name,
    '-o',
    'json',
  ]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as never;
}

test('kubectl apply of an invalid object is refused with the validator message and field', async () => {
  const result = await apply({ metadata: { name: 'too-big' }, spec: { replicas: 20 } });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /Widget "too-big" is invalid/);
  assert.match(result.stderr, /spec\.replicas: Invalid value: 20: must be at most 10/);
});

test('an update is validated against the old object', async () => {
  assert.equal((await apply({ metadata: { name: 'tiered' }, spec: { replicas: 1, tier: 'gold' } })).code, 0);
  const result = await apply({ metadata: { name: 'tiered' }, spec: { replicas: 1, tier: 'silver' } });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /spec\.tier: Forbidden: may not be changed once set \(was "gold"\)/);
});

test('a delete refused by the validator names the reason', async () => {
  const created = await apply({
    metadata: { name: 'keep', labels: { protected: 'true' } },
    spec: { replicas: 1 },
  });
  assert.equal(created.code, 0, created.stderr);
  const result = await kubectl(cp.kubeconfigPath, ['delete', `widgets.v2.${group}`, '-n', namespace, 'keep']);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /widget keep is protected; remove the label "protected" first/);
  assert.equal((await get('keep', 'v1')).spec.size, 1);
});

test('a validator warning reaches kubectl output', async () => {
  const result = await apply({ metadata: { name: 'legacy' }, spec: { replicas: 1, tier: 'legacy' } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Warning: spec\.tier "legacy" is deprecated; use "standard"/);
});

test('a default set by the defaulting webhook is visible on the created object', async () => {
  const result = await apply({ metadata: { name: 'plain' }, spec: { replicas: 2 } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal((await get('plain', 'v2')).spec.color, 'blue');
});

test('an object created at v1, updated at v2 and read at v1 again loses nothing', async () => {
  assert.equal((await apply({ metadata: { name: 'round' }, spec: { size: 3, color: 'red' } }, 'v1')).code, 0);
  const v2 = await get('round', 'v2');
  assert.deepEqual(v2.spec, { replicas: 3, color: 'red' });
  const updated = await apply({
    metadata: { name: 'round' },
    spec: { replicas: 4, color: 'red', tier: 'gold' },
  });
  assert.equal(updated.code, 0, updated.stderr);
  const v1 = await get('round', 'v1');
  assert.deepEqual(v1.spec, { size: 4, color: 'red' });
  // An update through v1, which cannot hold spec.tier, keeps it.
  const edited = await kubectl(cp.kubeconfigPath, [
    'patch',
    `widgets.v1.${group}`,
    '-n',
    namespace,
    'round',
    '--type=merge',
    '-p',
    '{"spec":{"color":"green"}}',
  ]);
  assert.equal(edited.code, 0, edited.stderr);
  const after = await get('round', 'v2');
  assert.deepEqual(after.spec, { replicas: 4, color: 'green', tier: 'gold' });
  assert.equal(after.metadata.annotations?.['conversion.kubeforge.dev/v2'], undefined);
  assert.deepEqual((await get('round', 'v1')).spec, { size: 4, color: 'green' });
});

test('a raw handler for a built-in kind denies with its causes and another patches', async () => {
  const configMap = (name: string, data: object): string =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels: { guarded: 'true' } },
      data,
    });
  const refused = await kubectl(
    cp.kubeconfigPath,
    ['apply', '-f', '-'],
    configMap('leaky', { dbPassword: 'x' }),
  );
  assert.notEqual(refused.code, 0);
  // kubectl prints the causes of an Invalid status, field by field.
  assert.match(
    refused.stderr,
    /The ConfigMap "leaky" is invalid: data\[dbPassword\]: Forbidden: passwords belong in Secrets/,
  );
  const created = await kubectl(cp.kubeconfigPath, ['apply', '-f', '-'], configMap('fine', { host: 'db' }));
  assert.equal(created.code, 0, created.stderr);
  const read = await kubectl(cp.kubeconfigPath, [
    'get',
    'configmap',
    '-n',
    namespace,
    'fine',
    '-o',
    'jsonpath={.metadata.labels}',
  ]);
  assert.match(read.stdout, /"kubeforge.dev\/seen":"true"/);
});

test('a handler that throws fails the write with its message under failurePolicy Fail', async (t) => {
  const result = await apply({
    metadata: { name: 'buggy-fail', labels: { 'buggy-test': 'Fail' } },
    spec: { replicas: 1 },
  });
  assert.notEqual(result.code, 0);
  t.diagnostic(result.stderr.trim());
  assert.match(result.stderr, /failed calling webhook "buggy-fail\.webhooks\.kubeforge\.dev"/);
  assert.match(result.stderr, /webhook \\?"buggy\\?" failed: the validator has a bug/);
});

test('a handler that throws lets the write through under failurePolicy Ignore', async () => {
  const result = await apply({
    metadata: { name: 'buggy-ignore', labels: { 'buggy-test': 'Ignore' } },
    spec: { replicas: 1 },
  });
  assert.equal(result.code, 0, result.stderr);
  const text = await (await fetch(`${manager.metricsUrl}/metrics`)).text();
  assert.match(text, /kubeforge_webhook_failures_total\{webhook="\/buggy",reason="HandlerFailed"\} [1-9]/);
});

test('with the webhook down, failurePolicy Fail refuses the write with a clear error', async () => {
  const result = await apply({
    metadata: { name: 'down-fail', labels: { 'down-test': 'Fail' } },
    spec: { replicas: 1 },
  });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /failed calling webhook "down-fail\.webhooks\.kubeforge\.dev"/);
  assert.match(result.stderr, /connection refused/);
});

test('with the webhook down, failurePolicy Ignore lets the write through', async () => {
  const result = await apply({
    metadata: { name: 'down-ignore', labels: { 'down-test': 'Ignore' } },
    spec: { replicas: 1 },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal((await get('down-ignore', 'v2')).spec.color, 'blue');
});

test('the webhook metrics count requests under controller-runtime names', async () => {
  const text = await (await fetch(`${manager.metricsUrl}/metrics`)).text();
  assert.match(
    text,
    /controller_runtime_webhook_requests_total\{webhook="\/validate-webhooks-kubeforge-dev-v2-widget",code="200"\} [1-9]/,
  );
  assert.match(text, /controller_runtime_webhook_latency_seconds_count\{webhook="\/convert"\} [1-9]/);
  assert.match(
    text,
    /controller_runtime_webhook_requests_in_flight\{webhook="\/mutate-webhooks-kubeforge-dev-v2-widget"\} 0/,
  );
});
