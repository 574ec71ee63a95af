/**
 * Both versions of the sample controller against a real API server, through the same
 * scenario: create a Foo, scale it, delete its Deployment, and collide with a Deployment it
 * does not own. The control plane runs no controller-manager, so the test plays the
 * Deployment controller: it writes the Deployment's status, which the Foo's controller copies.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  createResourceClient,
  eventResource,
  isNotFound,
  noopLogger,
  type CoreEvent,
  type ResourceClient,
} from '@kubeforge/runtime';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { generate } from '@kubeforge/generator';
import { deployments, type Deployment } from '@kubeforge/api/apps/v1';
import { createSampleManager } from './controllers/builder-controller.ts';
import { ERR_RESOURCE_EXISTS, SUCCESS_SYNCED } from './controllers/foo-deployment.ts';
import { runLowLevel } from './controllers/low-level-controller.ts';
import { createFooClient } from './generated/samplecontroller.kubeforge.dev/v1alpha1/foo.ts';

const projectDir = join(import.meta.dirname, '..');
const fooCrd = join(projectDir, 'config', 'crd', 'bases', 'samplecontroller.kubeforge.dev_foos.yaml');

let cp: ControlPlane;
before(async () => {
  cp = await startControlPlane();
  await installCRDs(cp.kubeConfig, [fooCrd]);
});
after(() => cp.stop());

async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the Deployment controller would do once the pods run: report them all available. */
async function rollOut(client: ResourceClient<Deployment>, name: string, namespace: string): Promise<number> {
  const rolled = await client.modify(
    name,
    (deployment) => {
      const replicas = deployment.spec?.replicas ?? 1;
      deployment.status = {
        observedGeneration: deployment.metadata.generation ?? 1,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
      };
    },
    { namespace, status: true },
  );
  return rolled.status?.availableReplicas ?? 0;
}

async function exercise(namespace: string): Promise<void> {
  const foos = createFooClient(cp.kubeConfig);
  const deploymentClient = createResourceClient(cp.kubeConfig, deployments);
  const events = createResourceClient<CoreEvent>(cp.kubeConfig, eventResource);
  const deployment = (name: string, replicas: number) =>
    eventually(async () => {
      try {
        const found = await deploymentClient.get(name, { namespace });
        return found.spec?.replicas === replicas ? found : undefined;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    }, `Deployment ${name} with ${replicas} replicas`);
  const available = (name: string, replicas: number) =>
    eventually(
      async () =>
        (await foos.get(name, { namespace })).status?.availableReplicas === replicas ? true : undefined,
      `Foo ${name} with status.availableReplicas ${replicas}`,
    );

  // A new Foo gets its Deployment, controlled by the Foo, with the Foo's replicas.
  const foo = await foos.create({
    metadata: { name: 'example-foo', namespace },
    spec: { deploymentName: 'example-foo', replicas: 1 },
  });
  const first = await deployment('example-foo', 1);
  assert.equal(first.metadata.ownerReferences?.[0]?.uid, foo.metadata.uid);
  assert.equal(first.metadata.ownerReferences?.[0]?.controller, true);
  assert.equal(first.spec?.template.spec?.containers[0]?.image, 'nginx:latest');
  assert.deepEqual(first.spec.selector.matchLabels, { app: 'nginx', controller: 'example-foo' });

  // The Deployment's available replicas reach the Foo's status.
  await rollOut(deploymentClient, 'example-foo', namespace);
  await available('example-foo', 1);

  // Scaling the Foo scales the Deployment; its rollout reaches the status again.
  await foos.patch('example-foo', { type: 'merge', patch: { spec: { replicas: 3 } } }, { namespace });
  await deployment('example-foo', 3);
  assert.equal(await rollOut(deploymentClient, 'example-foo', namespace), 3);
  await available('example-foo', 3);

  // Deleting the Deployment reaches the Foo's controller through the owner reference.
  await deploymentClient.delete('example-foo', { namespace });
  const recreated = await deployment('example-foo', 3);
  assert.notEqual(recreated.metadata.uid, first.metadata.uid);

  // A Deployment the Foo does not own is left alone and reported.
  const labels = { app: 'other' };
  await deploymentClient.create({
    metadata: { name: 'taken', namespace },
    spec: {
      replicas: 7,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'other', image: 'busybox' }] } },
    },
  });
  await foos.create({
    metadata: { name: 'clashing-foo', namespace },
    spec: { deploymentName: 'taken', replicas: 2 },
  });
  const warning = await eventually(async () => {
    const list = await events.list({ namespace });
    return list.items.find(
      (e) => e.reason === ERR_RESOURCE_EXISTS && e.involvedObject.name === 'clashing-foo',
    );
  }, 'an ErrResourceExists event');
  assert.equal(warning.type, 'Warning');
  assert.equal((await deploymentClient.get('taken', { namespace })).spec?.replicas, 7);
  const synced = (await events.list({ namespace })).items.filter(
    (e) => e.reason === SUCCESS_SYNCED && e.involvedObject.name === 'example-foo',
  );
  assert.ok(synced.length >= 1);
}

test('the CRD, RBAC and typed client are what kubeforge generates from src/apis and src/controllers', () => {
  const report = generate(projectDir, { check: true, scaffold: false });
  assert.deepEqual(report.diagnostics, []);
  assert.deepEqual(report.stale, [], 'run `npx kubeforge generate` in examples/sample-controller');
});

test('the low-level controller (informers, listers, rate-limited queue, workers) syncs Foos', async () => {
  const namespace = await createNamespace(cp.kubeConfig, 'sample-low');
  const stop = new AbortController();
  const running = runLowLevel(cp.kubeConfig, noopLogger, stop.signal);
  try {
    await exercise(namespace);
  } finally {
    stop.abort();
    await running;
  }
});

test('the builder controller in a manager syncs Foos the same way', async () => {
  const namespace = await createNamespace(cp.kubeConfig, 'sample-builder');
  const manager = createSampleManager(cp.kubeConfig, noopLogger, {
    handleSignals: false,
    cache: { namespace },
  });
  const running = manager.start();
  try {
    await exercise(namespace);
  } finally {
    await manager.stop();
    await running;
  }
});
