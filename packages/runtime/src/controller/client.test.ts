import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import { normalizeScope } from '../cache/resource-scope.ts';
import { createSharedInformerFactory } from '../cache/shared-informer-factory.ts';
import type { SharedInformerFactory } from '../cache/types.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import { noopLogger } from '../log/logger.ts';
import { FakeListerWatcher, fakeObject, listOf } from '../watch/testing/fake-lister-watcher.ts';
import { CachedClientError, createCachedClient } from './client.ts';

const configMaps: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};

const objects = [
  fakeObject('a1', '1', { namespace: 'a', labels: { app: 'web' }, data: { node: 'n1' } }),
  fakeObject('a2', '1', { namespace: 'a', data: { node: 'n2' } }),
  fakeObject('b1', '1', { namespace: 'b', labels: { app: 'web' }, data: { node: 'n1' } }),
  fakeObject('c1', '1', { namespace: 'c', data: { node: 'n1' } }),
];

const factories: SharedInformerFactory[] = [];
afterEach(async () => {
  await Promise.all(factories.splice(0).map((f) => f.stop()));
});

/** A factory whose informers list `objects` of their namespace (all of them without one). */
function setup() {
  const lws: { namespace: string | undefined; lw: FakeListerWatcher<KubeObject> }[] = [];
  const factory = createSharedInformerFactory({
    logger: noopLogger,
    listerWatcherFor: (_resource, namespace) => {
      const lw = new FakeListerWatcher<KubeObject>(() =>
        listOf(
          '1',
          objects.filter((o) => namespace === undefined || o.metadata.namespace === namespace),
        ),
      );
      lws.push({ namespace, lw });
      return lw;
    },
  });
  factories.push(factory);
  factory.start();
  return { factory, lws };
}

const apiClient = () => ({}) as ResourceClient<KubeObject>;
const names = (list: readonly KubeObject[]) => list.map((o) => o.metadata.name).sort();

describe('cached client', () => {
  it('reads a set of namespaces through one informer per namespace and merges lists across them', async () => {
    const { factory, lws } = setup();
    const client = createCachedClient({ informers: factory, apiClient, scope: { namespaces: ['a', 'b'] } });
    const cms = client.resource(configMaps);
    assert.deepEqual(names(await cms.list()), ['a1', 'a2', 'b1']);
    assert.deepEqual(names(await cms.list({ namespace: 'b' })), ['b1']);
    assert.equal((await cms.get('a2', { namespace: 'a' }))?.metadata.name, 'a2');
    assert.deepEqual(
      lws.map((l) => l.namespace),
      ['a', 'b'],
      'no informer over every namespace was started',
    );
  });

  it('refuses a read outside every scope, naming the namespace, the scope and how to widen it', async () => {
    const { factory } = setup();
    const client = createCachedClient({
      informers: factory,
      apiClient,
      scope: { namespaces: ['a', 'b'] },
      owner: 'controller "shop"',
      widenHint: () => 'add it to ManagerOptions.cache.namespaces',
    });
    await assert.rejects(
      client.resource(configMaps).get('c1', { namespace: 'c' }),
      (error: unknown) =>
        error instanceof CachedClientError &&
        error.reason === 'OutsideScope' &&
        error.message.includes('client.resource(ConfigMap).get("c1")') &&
        error.message.includes('controller "shop" caches configmaps only in namespaces "a", "b"') &&
        error.message.includes('in namespace "c" is outside the cache') &&
        error.message.includes('add it to ManagerOptions.cache.namespaces'),
    );
    assert.equal(factory.informers().length, 0, 'the refused read started no informer');
  });

  it('reads through the declared label scope and never starts an unscoped informer', async () => {
    const { factory } = setup();
    const client = createCachedClient({
      informers: factory,
      apiClient,
      scopesFor: (r) => [normalizeScope(r, { labelSelector: 'app=web' }, 'test')],
    });
    await client.resource(configMaps).get('a2', { namespace: 'a' });
    await client.resource(configMaps).list();
    assert.deepEqual(
      factory.informers().map((e) => e.scope),
      [{ labelSelector: 'app=web' }],
    );
  });

  it('answers matchingFields from the informers\u2019 indexes, and names an index nobody declared', async () => {
    const { factory } = setup();
    const byNode = (o: KubeObject) => [(o as { data?: { node?: string } }).data?.node ?? ''];
    const client = createCachedClient({
      informers: factory,
      apiClient,
      scope: { namespaces: ['a', 'b'] },
      indexersFor: () => ({ node: byNode }),
    });
    const cms = client.resource(configMaps);
    assert.deepEqual(names(await cms.list({ matchingFields: { node: 'n1' } })), ['a1', 'b1']);
    assert.deepEqual(names(await cms.list({ namespace: 'a', matchingFields: { node: 'n1' } })), ['a1']);
    assert.deepEqual(names(await cms.list({ matchingFields: { node: 'n2' }, labelSelector: 'app=web' })), []);
    await assert.rejects(
      cms.list({ matchingFields: { 'spec.nodeName': 'n1' } }),
      (error: unknown) =>
        error instanceof CachedClientError &&
        error.reason === 'UnknownIndex' &&
        /matchingFields names the index "spec.nodeName", which the cache of configmaps does not have/.test(
          error.message,
        ) &&
        error.message.includes('manager.indexField('),
    );
  });

  it('releases the informers its reads started, and refuses reads afterwards', async () => {
    const { factory, lws } = setup();
    const client = createCachedClient({ informers: factory, apiClient, scope: { namespace: 'a' } });
    await client.resource(configMaps).list();
    const watch = await lws[0]!.lw.watchNumber(1);
    await client.release();
    assert.equal(watch.closed, true);
    assert.deepEqual(factory.informers(), []);
    await assert.rejects(client.resource(configMaps).list(), /after release\(\)/);
  });
});
