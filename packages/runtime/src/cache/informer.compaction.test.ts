/**
 * Informers against a real API server whose watches and lists are served by etcd
 * (`--watch-cache=false`), so the page limit of the initial `resourceVersion=0` list is
 * honoured (the watch cache ignores it) and compacting etcd makes the watch's
 * resourceVersion expire.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type ControlPlane,
  createNamespace,
  startControlPlane,
  startTcpProxy,
  withServer,
  type TcpProxy,
} from '@kubeforge/testing';
import type { ListerWatcher } from '../api/index.ts';
import { createResourceClient } from '../client/create-resource-client.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import { configMapResource, type ConfigMap } from '../testdata/gadgets.ts';
import { noopLogger } from '../log/logger.ts';
import { createInformer } from './informer.ts';
import { eventually } from './testing/eventually.ts';
import type { EventHandler, Informer } from './types.ts';

const configMap = (name: string, namespace: string, data: Record<string, string> = {}): ConfigMap => ({
  metadata: { name, namespace },
  data,
});

function recorder(): EventHandler<ConfigMap> & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    add: (o) => void calls.push(`add ${o.metadata.name ?? ''} ${o.metadata.uid ?? ''}`),
    update: (_old, o) => void calls.push(`update ${o.metadata.name ?? ''} ${o.data?.v ?? ''}`),
    delete: (o, info) =>
      void calls.push(
        `delete ${o.metadata.name ?? ''} ${o.metadata.uid ?? ''} ${String(info.finalStateUnknown)}`,
      ),
  };
}

describe('informer with etcd-served lists and watches', { timeout: 180_000 }, () => {
  let cp: ControlPlane;
  let configMaps: ResourceClient<ConfigMap>;
  let proxy: TcpProxy | undefined;
  const informers: Informer<ConfigMap>[] = [];

  before(async () => {
    // Compacts etcd and sets server flags: always a control plane of its own.
    cp = await startControlPlane({ apiServerFlags: ['--watch-cache=false'], useExistingCluster: false });
    configMaps = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);
  });

  after(async () => {
    await Promise.all(informers.map((i) => i.stop()));
    await proxy?.close();
    await cp.stop();
  });

  test('an initial list larger than one page arrives complete', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'paging');
    const names = Array.from({ length: 130 }, (_, i) => `cm-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 26) {
      await Promise.all(names.slice(i, i + 26).map((n) => configMaps.create(configMap(n, ns))));
    }
    const scoped = configMaps.inNamespace(ns);
    const pages: number[] = [];
    const lw: ListerWatcher<ConfigMap> = {
      list: async (options) => {
        const list = await scoped.list(options);
        pages.push(list.items.length);
        return list;
      },
      watch: (options) => scoped.watch(options),
    };
    const informer = createInformer<ConfigMap>(lw, { logger: noopLogger, watcher: { pageSize: 50 } });
    informers.push(informer);
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(30_000)), true);
    assert.deepEqual(pages, [50, 50, 30], 'three pages of at most 50');
    assert.deepEqual(
      informer.lister
        .list()
        .map((o) => o.metadata.name)
        .sort(),
      names,
    );

    // The watch resumes from the list's resourceVersion: nothing is missed or replayed.
    await configMaps.create(configMap('after-list', ns));
    await eventually(
      () => informer.lister.get(ns, 'after-list') !== undefined,
      'the watch delivers a new object',
    );
    assert.equal(informer.lister.list().length, 131);
    assert.equal(informer.health().relists, 0);
  });

  test('after etcd compaction the watch gets 410, relists, and reports what changed meanwhile', async () => {
    const local = cp.local;
    assert.ok(local, 'needs the local control plane');
    const ns = await createNamespace(cp.kubeConfig, 'compaction');
    for (const n of ['a', 'b', 'c', 'd']) await configMaps.create(configMap(n, ns, { v: '1' }));
    const url = new URL(local.apiServerUrl);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    // Lists go straight to the server; the watch goes through the proxy we cut.
    const direct = configMaps.inNamespace(ns);
    const proxied = createResourceClient<ConfigMap>(
      withServer(cp.kubeConfig, proxy.url),
      configMapResource,
    ).inNamespace(ns);
    const informer = createInformer<ConfigMap>(
      { list: (o) => direct.list(o), watch: (o) => proxied.watch(o) },
      { logger: noopLogger, watcher: { backoff: { initialMs: 200, maxMs: 1000 } } },
    );
    informers.push(informer);
    const handler = recorder();
    informer.addEventHandler(handler);
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(30_000)), true);
    await eventually(() => proxy!.openConnections > 0, 'the watch is open');
    const uidOf = (name: string) => informer.lister.get(ns, name)?.metadata.uid ?? '';
    const [uidA, uidB] = [uidOf('a'), uidOf('b')];

    proxy.setRefusing(true);
    await configMaps.delete('a', { namespace: ns });
    await configMaps.delete('b', { namespace: ns });
    const newB = await configMaps.create(configMap('b', ns, { v: 'recreated' }));
    await configMaps.patch('c', { type: 'merge', patch: { data: { v: '2' } } }, { namespace: ns });
    const e = await configMaps.create(configMap('e', ns));
    await local.compactEtcd();
    handler.calls.length = 0;
    proxy.setRefusing(false);

    await eventually(() => informer.lister.get(ns, 'e') !== undefined, 'the informer relisted', {
      timeoutMs: 30_000,
    });
    await eventually(() => handler.calls.length >= 5, 'handlers were told');
    assert.deepEqual(handler.calls.slice().sort(), [
      `add b ${newB.metadata.uid ?? ''}`,
      `add e ${e.metadata.uid ?? ''}`,
      `delete a ${uidA} true`,
      `delete b ${uidB} true`,
      'update c 2',
    ]);
    assert.ok(
      handler.calls.indexOf(`delete b ${uidB} true`) <
        handler.calls.indexOf(`add b ${newB.metadata.uid ?? ''}`),
      'the old b is deleted before the new b is added',
    );
    const health = informer.health();
    assert.ok(
      health.relists >= 1,
      `relisted (health: ${JSON.stringify({ ...health, lastError: undefined })})`,
    );
    assert.deepEqual(
      informer.lister
        .list()
        .map((o) => o.metadata.name)
        .sort(),
      ['b', 'c', 'd', 'e'],
    );
  });
});
