import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, it } from 'node:test';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import { noopLogger } from '../log/logger.ts';
import { FakeListerWatcher, fakeObject, listOf } from '../watch/testing/fake-lister-watcher.ts';
import { createSharedInformerFactory } from './shared-informer-factory.ts';
import type { SharedInformerFactory } from './types.ts';

const configMaps: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};
const nodes: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  namespaced: false,
};

const factories: SharedInformerFactory[] = [];
afterEach(async () => {
  await Promise.all(factories.splice(0).map((f) => f.stop()));
});

function setup() {
  const created: { resource: string; namespace: string | undefined; lw: FakeListerWatcher<KubeObject> }[] =
    [];
  const factory = createSharedInformerFactory({
    logger: noopLogger,
    listerWatcherFor: (resource, namespace) => {
      const lw = new FakeListerWatcher<KubeObject>(() =>
        listOf('1', [fakeObject(`${resource.plural}-obj`, '1')]),
      );
      created.push({ resource: resource.plural, namespace, lw });
      return lw;
    },
  });
  factories.push(factory);
  return { factory, created };
}

describe('shared informer factory', () => {
  it('hands out one informer per resource and scope', () => {
    const { factory, created } = setup();
    const a = factory.informerFor(configMaps, { namespace: 'x', labelSelector: 'b=2,a=1' });
    const b = factory.informerFor(configMaps, { namespace: 'x', labelSelector: 'a=1, b=2' });
    assert.equal(a, b, 'equal selectors in another spelling share the informer');
    assert.notEqual(factory.informerFor(configMaps, { namespace: 'y' }), a);
    assert.notEqual(factory.informerFor(configMaps, { namespace: 'x' }), a);
    assert.notEqual(
      factory.informerFor(configMaps, {
        namespace: 'x',
        labelSelector: 'a=1,b=2',
        fieldSelector: 'metadata.name=n',
      }),
      a,
    );
    assert.equal(factory.informerFor(configMaps), factory.informerFor(configMaps, { namespace: '' }));
    assert.equal(created.length, 5);
    assert.deepEqual(factory.informers()[0]?.scope, { namespace: 'x', labelSelector: 'a=1,b=2' });
  });

  it('starts every informer, also those asked for after start, and waits for all to sync', async () => {
    const { factory } = setup();
    const before = factory.informerFor(configMaps);
    factory.start();
    const later = factory.informerFor(nodes);
    assert.equal(before.started, true);
    assert.equal(later.started, true);
    assert.equal(await factory.waitForCacheSync(AbortSignal.timeout(5000)), true);
    assert.equal(later.lister.get('default', 'nodes-obj')?.metadata.name, 'nodes-obj');
  });

  it('shares the cache and the watch between all consumers', async () => {
    const { factory, created } = setup();
    const seen: string[] = [];
    factory
      .informerFor(configMaps)
      .addEventHandler({ add: (o) => void seen.push(`first ${o.metadata.name ?? ''}`) });
    factory
      .informerFor(configMaps)
      .addEventHandler({ add: (o) => void seen.push(`second ${o.metadata.name ?? ''}`) });
    factory.start();
    await factory.waitForCacheSync();
    await created[0]!.lw.watchNumber(1);
    assert.equal(created.length, 1);
    assert.equal(created[0]!.lw.listCalls.length, 1, 'one list for both consumers');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen.sort(), ['first configmaps-obj', 'second configmaps-obj']);
  });

  it('rejects a namespace for a cluster-scoped resource and use after stop', async () => {
    const { factory } = setup();
    assert.throws(() => factory.informerFor(nodes, { namespace: 'x' }), /nodes.v1 is cluster-scoped/);
    assert.throws(() => factory.informerFor(configMaps, { labelSelector: 'a in' }), /invalid label selector/);
    factory.start();
    await factory.stop();
    assert.throws(() => factory.informerFor(configMaps), /after stop/);
    assert.throws(() => factory.start(), /after stop/);
  });

  it('counts leases: the last release stops the watch and forgets the informer', async () => {
    const { factory, created } = setup();
    const a = factory.acquire(configMaps, { namespace: 'x' });
    const b = factory.acquire(configMaps, { namespace: 'x' });
    assert.equal(a.informer, b.informer, 'leases of one scope share the informer');
    factory.start();
    assert.equal(await factory.waitForCacheSync(AbortSignal.timeout(5000)), true);
    const watch = await created[0]!.lw.watchNumber(1);
    assert.deepEqual(
      factory.informers().map((e) => [e.scope.namespace, e.references, e.pinned]),
      [['x', 2, false]],
    );

    await a.release();
    await a.release();
    assert.equal(
      watch.closed,
      false,
      'another lease still holds the informer (and a second release is a no-op)',
    );
    assert.equal(factory.informers()[0]?.references, 1);

    await b.release();
    assert.equal(watch.closed, true, 'the last release stopped the watch');
    assert.equal(a.informer.health().state, 'stopped');
    assert.deepEqual(factory.informers(), [], 'the factory no longer holds the informer or its cache');

    const again = factory.acquire(configMaps, { namespace: 'x' });
    assert.notEqual(again.informer, a.informer, 'a later lease starts a fresh informer');
    assert.equal(again.informer.started, true);
    assert.equal(await again.informer.waitForCacheSync(AbortSignal.timeout(5000)), true);
    assert.equal(created.length, 2);
    await again.release();
  });

  it('keeps an informer that informerFor pinned after its leases are released', async () => {
    const { factory, created } = setup();
    const pinned = factory.informerFor(configMaps);
    const lease = factory.acquire(configMaps);
    assert.equal(lease.informer, pinned);
    factory.start();
    await factory.waitForCacheSync(AbortSignal.timeout(5000));
    const watch = await created[0]!.lw.watchNumber(1);
    await lease.release();
    assert.equal(watch.closed, false);
    assert.deepEqual(
      factory.informers().map((e) => [e.references, e.pinned]),
      [[0, true]],
    );
  });

  it("frees a released informer's cache even while the closed watch's abort reason is kept", async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { factory, created } = setup();
    factory.start();
    const cached = await (async () => {
      const lease = factory.acquire(configMaps, { namespace: 'x' });
      await lease.informer.waitForCacheSync(AbortSignal.timeout(5000));
      await created[0]!.lw.watchNumber(1);
      const object = lease.informer.lister.list()[0];
      assert.ok(object);
      await lease.release();
      return new WeakRef(object);
    })();
    // An HTTP client may keep an aborted request, and with it its signal's reason, on a pooled
    // connection until the next request; this test keeps the fake's (it holds every watch).
    const reason: unknown = created[0]!.lw.watches[0]?.options.signal?.reason;
    assert.ok(reason instanceof Error, 'the watch was aborted');
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(cached.deref(), undefined, 'nothing reachable holds the cached objects');
  });
});
