/**
 * Informers that sync with watch-list on a real API server: one streamed watch where the
 * server offers it (on by default from Kubernetes 1.32), a list where it does not (the server
 * refuses the request: 1.20-1.26 always, 1.27-1.31 unless the WatchList gate is on). The same
 * test runs on every server; what it expects of the request follows the server's version.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNamespace, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import type { ListerWatcher, ListOptions, WatchOptions } from '../api/index.ts';
import { createResourceClient } from '../client/create-resource-client.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import { configMapResource, type ConfigMap } from '../testdata/gadgets.ts';
import { noopLogger } from '../log/logger.ts';
import { createInformer } from './informer.ts';
import { eventually } from './testing/eventually.ts';

/** The client, recording what the informer asks of it. */
function recording(client: ResourceClient<ConfigMap>, namespace: string) {
  const scoped = client.inNamespace(namespace);
  const calls = { lists: [] as ListOptions[], watches: [] as WatchOptions[] };
  const lw: ListerWatcher<ConfigMap> = {
    list: (options) => (calls.lists.push(options), scoped.list(options)),
    watch: (options) => (calls.watches.push(options), scoped.watch(options)),
  };
  return { lw, calls };
}

describe('informer with watch-list on a real API server', { timeout: 120_000 }, () => {
  let cp: ControlPlane;
  let configMaps: ResourceClient<ConfigMap>;

  before(async () => {
    cp = await startControlPlane();
    configMaps = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);
  });
  after(() => cp.stop());

  test('syncs every existing object and then sees changes, streamed where the server can', async () => {
    const namespace = await createNamespace(cp.kubeConfig, 'watch-list');
    for (let i = 0; i < 120; i++) {
      await configMaps.create({ metadata: { name: `cm-${i}`, namespace }, data: { i: String(i) } });
    }
    const { lw, calls } = recording(configMaps, namespace);
    const informer = createInformer(lw, { logger: noopLogger, watcher: { watchList: true, pageSize: 50 } });
    informer.start();
    try {
      assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(60_000)), true);
      assert.equal(informer.lister.list().length, 120);
      assert.equal(informer.lister.get(namespace, 'cm-7')?.data?.i, '7');
      assert.equal(informer.lister.get(namespace, 'cm-7')?.metadata.managedFields, undefined, 'compacted');

      const streamed = calls.watches[0]?.sendInitialEvents === true && calls.lists.length === 0;
      const version = cp.serverVersion;
      if (version.atLeast('1.32')) assert.equal(streamed, true, `${version.gitVersion} offers watch-list`);
      if (!version.atLeast('1.27')) {
        assert.equal(calls.watches[0]?.sendInitialEvents, true, 'watch-list was asked for first');
        assert.equal(
          calls.lists.length > 0,
          true,
          `${version.gitVersion} refuses watch-list: listed instead`,
        );
      }

      await configMaps.create({ metadata: { name: 'late', namespace }, data: { i: 'late' } });
      await configMaps.delete('cm-0', { namespace });
      await eventually(
        () =>
          informer.lister.get(namespace, 'late') !== undefined &&
          informer.lister.get(namespace, 'cm-0') === undefined,
        'the informer to see a create and a delete after syncing',
      );
      assert.equal(informer.health().healthy, true);
    } finally {
      await informer.stop();
    }
  });
});
