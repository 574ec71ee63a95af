/**
 * Both versions of the sample controller against a real API server, through the same
 * scenario: create a Foo, change it, delete its ConfigMap, and collide with a ConfigMap it
 * does not own.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createResourceClient,
  eventResource,
  isNotFound,
  noopLogger,
  type CoreEvent,
} from '@kubeforge/runtime';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { createSampleManager } from './builder-controller.ts';
import {
  ERR_RESOURCE_EXISTS,
  FOO_CRD,
  SUCCESS_SYNCED,
  configMapResource,
  fooResource,
  type ConfigMap,
  type Foo,
} from './foo.ts';
import { runLowLevel } from './low-level-controller.ts';

let cp: ControlPlane;
before(async () => {
  cp = await startControlPlane();
  await installCRDs(cp.kubeConfig, [FOO_CRD]);
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

async function exercise(namespace: string): Promise<void> {
  const foos = createResourceClient<Foo>(cp.kubeConfig, fooResource);
  const configMaps = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);
  const events = createResourceClient<CoreEvent>(cp.kubeConfig, eventResource);
  const configMap = (name: string, replicas: string) =>
    eventually(async () => {
      try {
        const cm = await configMaps.get(name, { namespace });
        return cm.data?.replicas === replicas ? cm : undefined;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    }, `ConfigMap ${name} with replicas ${replicas}`);
  const status = (name: string, replicas: number) =>
    eventually(
      async () => ((await foos.get(name, { namespace })).status?.replicas === replicas ? true : undefined),
      `status.replicas ${replicas}`,
    );

  // A new Foo gets its ConfigMap, controlled by the Foo, and a status.
  const foo = await foos.create({
    metadata: { name: 'example-foo', namespace },
    spec: { configMapName: 'example-cm', replicas: 1 },
  });
  const first = await configMap('example-cm', '1');
  assert.equal(first.metadata.ownerReferences?.[0]?.uid, foo.metadata.uid);
  assert.equal(first.metadata.ownerReferences?.[0]?.controller, true);
  await status('example-foo', 1);

  // Changing the Foo updates the ConfigMap and the status.
  await foos.patch('example-foo', { type: 'merge', patch: { spec: { replicas: 3 } } }, { namespace });
  await configMap('example-cm', '3');
  await status('example-foo', 3);

  // Deleting the ConfigMap reaches the Foo's controller through the owner reference.
  await configMaps.delete('example-cm', { namespace });
  const recreated = await configMap('example-cm', '3');
  assert.notEqual(recreated.metadata.uid, first.metadata.uid);

  // A ConfigMap the Foo does not own is left alone and reported.
  await configMaps.create({ metadata: { name: 'taken', namespace }, data: { replicas: '7' } });
  await foos.create({
    metadata: { name: 'clashing-foo', namespace },
    spec: { configMapName: 'taken', replicas: 2 },
  });
  const warning = await eventually(async () => {
    const list = await events.list({ namespace });
    return list.items.find(
      (e) => e.reason === ERR_RESOURCE_EXISTS && e.involvedObject.name === 'clashing-foo',
    );
  }, 'an ErrResourceExists event');
  assert.equal(warning.type, 'Warning');
  assert.equal((await configMaps.get('taken', { namespace })).data?.replicas, '7');
  const synced = (await events.list({ namespace })).items.filter(
    (e) => e.reason === SUCCESS_SYNCED && e.involvedObject.name === 'example-foo',
  );
  assert.ok(synced.length >= 1);
}

test('the low-level controller (informers, lister, rate-limited queue, workers) syncs Foos', async () => {
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
