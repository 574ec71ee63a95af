/**
 * Recovery with default settings against a real API server: kube-apiserver killed with
 * SIGKILL and restarted three times in a row, and a silent stall of the network path (sockets
 * open, no bytes) through a local TCP proxy. Informers use no tuned option: what is checked is
 * what a user gets. Waits are bounded (generous for a loaded machine); the figures themselves
 * are measured by the `recovery` benchmark.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  type ControlPlane,
  createNamespace,
  startControlPlane,
  startTcpProxy,
  withServer,
  type TcpProxy,
} from '@kubeforge/testing';
import { createResourceClient } from '../client/create-resource-client.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import { noopLogger } from '../log/logger.ts';
import { configMapResource, type ConfigMap } from '../testdata/gadgets.ts';
import { createInformer } from './informer.ts';
import { eventually, retrying, sleep } from './testing/eventually.ts';
import type { Informer } from './types.ts';

/** A create and a delete must be seen this soon after the server is ready again (goal: 2 s). */
const AFTER_RESTART_BOUND_MS = 6_000;
/** The stall lasts longer than dead-connection detection takes with the defaults (<= 30 s). */
const STALL_MS = 45_000;
/** Both changes made during the stall must be seen this soon after it heals (goal: 35 s). */
const AFTER_HEAL_BOUND_MS = 35_000;

describe('recovery with default settings', { timeout: 400_000 }, () => {
  let cp: ControlPlane;
  let configMaps: ResourceClient<ConfigMap>;
  const informers: Informer<ConfigMap>[] = [];
  const proxies: TcpProxy[] = [];

  before(async () => {
    cp = await startControlPlane({ useExistingCluster: false });
    configMaps = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);
  });

  afterEach(async () => {
    await Promise.all(informers.splice(0).map((i) => i.stop()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });

  after(async () => {
    await cp.stop();
  });

  /** Records when each name was last added or deleted, by local clock. */
  function watchTimes(informer: Informer<ConfigMap>) {
    const added = new Map<string, number>();
    const deleted = new Map<string, number>();
    informer.addEventHandler({
      add: (o) => void added.set(o.metadata.name ?? '', Date.now()),
      delete: (o) => void deleted.set(o.metadata.name ?? '', Date.now()),
    });
    return { added, deleted };
  }

  test('after kill -9 and restart, three times in a row, a create and a delete are seen within seconds', async () => {
    const local = cp.local;
    assert.ok(local, 'needs the local control plane');
    const ns = await createNamespace(cp.kubeConfig, 'restart3');
    const informer = createInformer<ConfigMap>(configMaps.inNamespace(ns), { logger: noopLogger });
    informers.push(informer);
    const times = watchTimes(informer);
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(30_000)), true);
    await eventually(() => informer.health().state === 'watching', 'the watch is open');

    const figures: string[] = [];
    for (let round = 1; round <= 3; round++) {
      const failuresBefore = informer.health().failures;
      await local.restartApiServer({ kill: true });
      const readyAt = Date.now();
      const name = `after-restart-${round}`;
      await retrying(() =>
        configMaps.create({ metadata: { name, namespace: ns }, data: { round: String(round) } }),
      );
      await retrying(() => configMaps.delete(name, { namespace: ns }));
      await eventually(() => times.deleted.has(name), `round ${round}: the delete is seen`, {
        timeoutMs: AFTER_RESTART_BOUND_MS,
        intervalMs: 10,
      });
      const addedAfter = (times.added.get(name) ?? Number.NaN) - readyAt;
      const deletedAfter = (times.deleted.get(name) ?? Number.NaN) - readyAt;
      figures.push(`round ${round}: added +${addedAfter} ms, deleted +${deletedAfter} ms after ready`);
      assert.ok(informer.health().failures > failuresBefore, `round ${round}: the outage was noticed`);
    }
    const health = informer.health();
    assert.equal(health.state, 'watching');
    assert.ok(health.lastEventAt !== undefined, 'the time of the last event is reported');
    console.log(`# ${figures.join('; ')}`);
  });

  test('a silent stall of the network path is detected while it lasts; changes made during it are seen soon after it heals', async () => {
    const local = cp.local;
    assert.ok(local, 'needs the local control plane');
    const ns = await createNamespace(cp.kubeConfig, 'stall');
    await configMaps.create({ metadata: { name: 'doomed', namespace: ns }, data: {} });
    const url = new URL(local.apiServerUrl);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    proxies.push(proxy);
    // Lists and watches both go through the proxy, as they would through a load balancer.
    const proxied = createResourceClient<ConfigMap>(withServer(cp.kubeConfig, proxy.url), configMapResource);
    const informer = createInformer<ConfigMap>(proxied.inNamespace(ns), { logger: noopLogger });
    informers.push(informer);
    const times = watchTimes(informer);
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(30_000)), true);
    await eventually(() => informer.health().state === 'watching', 'the watch is open');

    const failuresBefore = informer.health().failures;
    assert.ok(proxy.stallAll() >= 1, 'the watch connection is stalled');
    const stalledAt = Date.now();
    await configMaps.create({ metadata: { name: 'born-in-stall', namespace: ns }, data: {} });
    await configMaps.delete('doomed', { namespace: ns });
    const detectedIn = await eventually(
      () => informer.health().failures > failuresBefore,
      'the dead connection is noticed',
      { timeoutMs: STALL_MS - 2_000, intervalMs: 100 },
    );
    assert.notEqual(
      informer.health().state,
      'watching',
      'while stalled, the informer does not claim to watch',
    );
    await sleep(Math.max(0, STALL_MS - (Date.now() - stalledAt)));
    proxy.heal();
    const healedAt = Date.now();
    await eventually(
      () => times.added.has('born-in-stall') && times.deleted.has('doomed'),
      'the create and the delete made during the stall are seen',
      { timeoutMs: AFTER_HEAL_BOUND_MS, intervalMs: 50 },
    );
    const seenAfterHeal =
      Math.max(times.added.get('born-in-stall') ?? 0, times.deleted.get('doomed') ?? 0) - healedAt;
    console.log(
      `# stall detected ${detectedIn} ms after it began (${STALL_MS} ms stall); both changes seen ${seenAfterHeal} ms after heal`,
    );
    await eventually(() => informer.health().state === 'watching', 'the informer watches again');
  });
});
