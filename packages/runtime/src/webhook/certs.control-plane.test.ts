/**
 * Certificate rotation against a real kube-apiserver under a stream of writes through the
 * conversion, defaulting and validating webhooks: certificates reloaded from files, and the
 * built-in mode (a Secret shared by two replicas, CA and serving certificate rotated, the CA
 * bundle injected) lose no request.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createNamespace,
  installCRDs,
  installWebhooks,
  startControlPlane,
  type ControlPlane,
} from '@kubeforge/testing';
import type { KubeObject } from '../api/index.ts';
import { createResourceClient } from '../client/create-resource-client.ts';
import { noopLogger } from '../log/logger.ts';
import { createManager } from '../manager/manager.ts';
import type { Manager } from '../manager/types.ts';
import { createCertificateAuthority, issueServingCertificate } from './certs/authority.ts';
import { fileCertificates } from './certs/file-source.ts';
import { selfSignedCertificates } from './certs/self-signed.ts';
import type { CertificateSource } from './certs/source.ts';
import { servedFingerprint, startLoad } from './testdata/load.ts';
import { eventually, kubectl } from './testdata/kubectl.ts';
import { group, widgetConversion, widgetDefaulting, widgetValidation } from './testdata/widgets.ts';

const crdPath = fileURLToPath(new URL('./testdata/widgets.crd.yaml', import.meta.url));
const crdName = `widgets.${group}`;
let cp: ControlPlane;
let namespace: string;
const managers: Manager[] = [];

const rules = [
  { apiGroups: [group], apiVersions: ['v2'], resources: ['widgets'], operations: ['CREATE', 'UPDATE'] },
];
const webhook = (name: string, clientConfig: object): object => ({
  name,
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  failurePolicy: 'Fail',
  timeoutSeconds: 10,
  rules,
  clientConfig,
});

async function startReplica(port: number, certificates: CertificateSource, lease?: string): Promise<Manager> {
  const manager = createManager({
    kubeConfig: cp.kubeConfig,
    ...(lease !== undefined && { leaderElection: { leaseName: lease, namespace } }),
    logger: noopLogger,
    handleSignals: false,
    exit: () => undefined,
    webhook: { port, host: '127.0.0.1', certificates },
  });
  manager.addWebhook(widgetDefaulting);
  manager.addWebhook(widgetValidation);
  manager.addWebhook(widgetConversion);
  managers.push(manager);
  void manager.start();
  await eventually(() => manager.webhookUrl !== undefined && manager.isReady(), 'the replica to serve');
  return manager;
}

before(async () => {
  cp = await startControlPlane({ users: [{ name: 'no-rights' }] });
  await installCRDs(cp.kubeConfig, [crdPath]);
  namespace = await createNamespace(cp.kubeConfig, 'rotation');
});

after(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  await (cp as ControlPlane | undefined)?.stop();
});

test('certificates reloaded from files under a stream of writes lose no request', async (t) => {
  const ca = createCertificateAuthority();
  const first = issueServingCertificate(ca, { hosts: ['127.0.0.1'] });
  const installed = await installWebhooks(cp.kubeConfig, {
    certificates: { ca: ca.cert, ...first },
    configurations: [
      {
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'files-m' },
        webhooks: [webhook(`m.${group}`, { service: { path: widgetDefaulting.path } })] as never,
      },
      {
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'files-v' },
        webhooks: [webhook(`v.${group}`, { service: { path: widgetValidation.path } })] as never,
      },
    ],
    conversionCRDs: [crdName],
  });
  const manager = await startReplica(
    installed.port,
    fileCertificates({ dir: installed.certDir, pollIntervalMs: 500 }),
  );
  await eventually(
    async () =>
      (await kubectl(cp.kubeconfigPath, ['get', `widgets.v1.${group}`, '-n', namespace])).code === 0,
    'conversion to answer',
  );
  const load = startLoad(cp.kubeConfig, namespace, 'files');
  const served = new Set([await servedFingerprint(installed.port)]);
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 1_500));
    const next = issueServingCertificate(ca, { hosts: ['127.0.0.1'] });
    // Written one file after the other, as a careless tool would: a mismatched pair must not be served.
    writeFileSync(join(installed.certDir, 'tls.crt'), next.cert);
    await new Promise((r) => setTimeout(r, 30));
    writeFileSync(join(installed.certDir, 'tls.key'), next.key);
    const before = served.size;
    await eventually(async () => {
      served.add(await servedFingerprint(installed.port));
      return served.size > before;
    }, 'the new certificate to be served');
  }
  await new Promise((r) => setTimeout(r, 1_000));
  const result = await load.stop();
  assert.deepEqual(result.failures, []);
  assert.ok(result.writes > 20, `only ${result.writes} writes`);
  assert.equal(served.size, 4);
  t.diagnostic(`${result.writes} writes, ${served.size - 1} reloads, 0 failures`);
  await manager.stop();
  await installed.uninstall();
});

test('built-in certificates shared by two replicas rotate CA and serving certificate under writes and lose no request', async (t) => {
  const [portA, portB] = [await freePortOf(), await freePortOf()];
  const url = (port: number, path: string): string => `https://127.0.0.1:${port}${path}`;
  // No caBundle: the replicas inject it.
  for (const object of [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'builtin-m' },
      webhooks: [webhook(`m.${group}`, { url: url(portA, widgetDefaulting.path) })],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'builtin-v' },
      webhooks: [webhook(`v.${group}`, { url: url(portB, widgetValidation.path) })],
    },
  ]) {
    const applied = await kubectl(cp.kubeconfigPath, ['apply', '-f', '-'], JSON.stringify(object));
    assert.equal(applied.code, 0, applied.stderr);
  }
  const patched = await kubectl(cp.kubeconfigPath, [
    'patch',
    'crd',
    crdName,
    '--type=merge',
    '-p',
    JSON.stringify({
      spec: {
        conversion: {
          strategy: 'Webhook',
          webhook: { conversionReviewVersions: ['v1'], clientConfig: { url: url(portA, '/convert') } },
        },
      },
    }),
  ]);
  assert.equal(patched.code, 0, patched.stderr);
  const certificates = (): CertificateSource =>
    selfSignedCertificates({
      kubeConfig: cp.kubeConfig,
      secret: { namespace, name: 'webhook-server-cert' },
      hosts: ['127.0.0.1', 'localhost'],
      mutatingWebhookConfigurations: ['builtin-m'],
      validatingWebhookConfigurations: ['builtin-v'],
      conversionCRDs: [crdName],
      caValidityMs: 24_000,
      servingValidityMs: 10_000,
      checkIntervalMs: 500,
      propagationDelayMs: 2_000,
    });
  // Both start at once: one creates the Secret, the other adopts it. They compete for one
  // lease: the standby serves webhooks all the same.
  const replicas = await Promise.all([
    startReplica(portA, certificates(), 'webhook-replicas'),
    startReplica(portB, certificates(), 'webhook-replicas'),
  ]);
  await eventually(() => replicas.some((r) => r.isLeading()), 'a leader');
  assert.equal(replicas.filter((r) => r.isLeading()).length, 1);
  await eventually(
    async () => (await servedFingerprint(portA)) === (await servedFingerprint(portB)),
    'both replicas to serve the same certificate',
  );
  const secrets = createResourceClient<KubeObject & { data?: Record<string, string> }>(cp.kubeConfig, {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
  }).inNamespace(namespace);
  const cas = new Set<string>();
  const servings = new Set<string>();
  const watching = { on: true };
  const watcher = (async () => {
    while (watching.on) {
      const secret = await secrets.get('webhook-server-cert');
      cas.add(secret.data?.['ca.crt'] ?? '');
      servings.add(secret.data?.['tls.crt'] ?? '');
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  await eventually(
    async () =>
      (await kubectl(cp.kubeconfigPath, ['get', `widgets.v1.${group}`, '-n', namespace])).code === 0,
    'conversion to answer',
  );
  const load = startLoad(cp.kubeConfig, namespace, 'builtin');
  await eventually(
    () => cas.size >= 2 && servings.size >= 4,
    'a CA rotation and several serving rotations',
    60_000,
  );
  await new Promise((r) => setTimeout(r, 3_000));
  const result = await load.stop();
  watching.on = false;
  await watcher;
  t.diagnostic(`${result.writes} writes, ${cas.size - 1} CA and ${servings.size - 1} serving rotations`);
  assert.deepEqual(result.failures, []);
  assert.ok(result.writes > 20, `only ${result.writes} writes`);
});

async function freePortOf(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('without RBAC on the Secret, built-in certificates refuse to start naming the Secret and the rights needed', async () => {
  const source = selfSignedCertificates({
    kubeConfig: cp.kubeConfigFor('no-rights'),
    secret: { namespace, name: 'forbidden-cert' },
    hosts: ['127.0.0.1'],
  });
  await assert.rejects(
    source.start(new AbortController().signal),
    new RegExp(
      `Secret ${namespace}/forbidden-cert: cannot set up the webhook certificates: .*forbidden.*; the operator needs get, create and update on this Secret`,
    ),
  );
});

test('a Secret holding no usable certificates is replaced by new ones', async () => {
  const secrets = createResourceClient<KubeObject & { data?: Record<string, string> }>(cp.kubeConfig, {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
  }).inNamespace(namespace);
  await secrets.create({
    metadata: { name: 'garbage-cert' },
    data: { 'tls.crt': Buffer.from('nope').toString('base64') },
  });
  const source = selfSignedCertificates({
    kubeConfig: cp.kubeConfig,
    secret: { namespace, name: 'garbage-cert' },
    hosts: ['127.0.0.1'],
  });
  await source.start(new AbortController().signal);
  const stored = await secrets.get('garbage-cert');
  assert.equal(Buffer.from(stored.data?.['tls.crt'] ?? '', 'base64').toString(), source.current()?.cert);
  await source.stop();
});
