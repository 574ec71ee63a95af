/**
 * Informers against a real API server with its default watch cache: an API server restart
 * while objects change, a stalled connection, objects deleted and recreated while the watch is
 * cut, and handlers that fail. No fake server: faults come from the control plane itself and a
 * local TCP proxy in front of it.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  type ControlPlane,
  createNamespace,
  installCRDs,
  startControlPlane,
  startTcpProxy,
  withServer,
  type TcpProxy,
} from '@kubeforge/testing';
import { createResourceClient } from '../client/create-resource-client.ts';
import { createTransport } from '../client/transport.ts';
import { isAlreadyExists, isNotFound } from '../client/errors.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import {
  clusterGadgetResource,
  configMapResource,
  TEST_CRDS,
  type ClusterGadget,
  type ConfigMap,
} from '../testdata/gadgets.ts';
import type { Logger, LogFields } from '../log/logger.ts';
import { createInformer } from './informer.ts';
import { dropManagedFields } from './prepare.ts';
import { createSharedInformerFactory } from './shared-informer-factory.ts';
import { eventually, retrying, sleep } from './testing/eventually.ts';
import type { Informer } from './types.ts';

const configMap = (name: string, namespace: string, v: string): ConfigMap => ({
  metadata: { name, namespace },
  data: { v },
});

function recordingLogger(): Logger & { errors: { message: string; fields?: LogFields }[] } {
  const errors: { message: string; fields?: LogFields }[] = [];
  const ignore = () => undefined;
  const logger: Logger & { errors: typeof errors } = {
    errors,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (message, fields) => void errors.push({ message, ...(fields ? { fields } : {}) }),
    child: () => logger,
  };
  return logger;
}

/** What a handler last saw of each object. */
interface Seen {
  readonly uid: string;
  readonly resourceVersion: string;
  readonly deleted: boolean;
}

function lastSeenRecorder() {
  const seen = new Map<string, Seen>();
  const record = (o: ConfigMap, deleted: boolean) =>
    seen.set(o.metadata.name ?? '', {
      uid: o.metadata.uid ?? '',
      resourceVersion: o.metadata.resourceVersion ?? '',
      deleted,
    });
  return {
    seen,
    handler: {
      add: (o: ConfigMap) => void record(o, false),
      update: (_old: ConfigMap, o: ConfigMap) => void record(o, false),
      delete: (o: ConfigMap) => void record(o, true),
    },
  };
}

describe('informer against a real API server', { timeout: 300_000 }, () => {
  let cp: ControlPlane;
  let configMaps: ResourceClient<ConfigMap>;
  const informers: Informer<ConfigMap>[] = [];
  const proxies: TcpProxy[] = [];
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => void crashes.push(error);

  before(async () => {
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    // Restarts and stalls its server: always a control plane of its own, also when the suite
    // runs on an existing cluster.
    cp = await startControlPlane({ useExistingCluster: false });
    configMaps = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);
  });

  afterEach(async () => {
    await Promise.all(informers.splice(0).map((i) => i.stop()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
    assert.deepEqual(crashes, [], 'no unhandled rejection or uncaught exception');
  });

  after(async () => {
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    await cp.stop();
  });

  async function proxiedInformer(ns: string, idleTimeoutMs?: number) {
    const local = cp.local;
    assert.ok(local, 'needs the local control plane');
    const url = new URL(local.apiServerUrl);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    proxies.push(proxy);
    // Lists go straight to the server; only the watch goes through the proxy we break.
    const direct = configMaps.inNamespace(ns);
    // Watches over HTTP/1.1 (no HTTP/2 pings): what is tested here is the idle timeout. On a
    // pinged HTTP/2 connection the reconnect after an idle-timeout stall would share the dead
    // connection until its ping fails (<= 30 s); recovery.control-plane.test.ts covers that path.
    const proxiedConfig = withServer(cp.kubeConfig, proxy.url);
    const proxied = createResourceClient<ConfigMap>(proxiedConfig, configMapResource, {
      transport: createTransport(proxiedConfig, { watchPingIntervalMs: 0 }),
    }).inNamespace(ns);
    const logger = recordingLogger();
    const informer = createInformer<ConfigMap>(
      { list: (o) => direct.list(o), watch: (o) => proxied.watch(o) },
      {
        logger,
        watcher: {
          backoff: { initialMs: 100, maxMs: 1000 },
          ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
        },
      },
    );
    informers.push(informer);
    return { informer, proxy, logger };
  }

  test('converges after the API server restarts mid-watch while objects change', async () => {
    const local = cp.local;
    assert.ok(local, 'needs the local control plane');
    const ns = await createNamespace(cp.kubeConfig, 'restart');
    const names = Array.from({ length: 8 }, (_, i) => `cm-${i}`);
    for (const n of names) await configMaps.create(configMap(n, ns, '0'));

    const logger = recordingLogger();
    const informer = createInformer<ConfigMap>(configMaps.inNamespace(ns), {
      logger,
      watcher: { backoff: { initialMs: 200, maxMs: 2000 } },
    });
    informers.push(informer);
    const { seen, handler } = lastSeenRecorder();
    informer.addEventHandler(handler);
    const failing = informer.addEventHandler({
      add: () => {
        throw new Error('handler bug');
      },
      update: async () => {
        await sleep(1);
        throw new Error('async handler bug');
      },
      delete: () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a handler may throw anything
        throw 'not even an Error';
      },
    });
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(30_000)), true);

    // Tolerates the restart: a write whose response was lost is retried and may find its effect done.
    const write = (op: () => Promise<unknown>) =>
      retrying(async () => {
        try {
          await op();
        } catch (error) {
          if (!isAlreadyExists(error) && !isNotFound(error)) throw error;
        }
      });
    let reachedRound3: () => void = () => undefined;
    const round3 = new Promise<void>((resolve) => (reachedRound3 = resolve));
    const writer = (async () => {
      for (let round = 1; round <= 10; round++) {
        for (const n of names.slice(0, 6)) {
          await write(() =>
            configMaps.patch(n, { type: 'merge', patch: { data: { v: String(round) } } }, { namespace: ns }),
          );
        }
        if (round === 2) await write(() => configMaps.delete('cm-7', { namespace: ns }));
        if (round === 5) await write(() => configMaps.create(configMap(`new-${round}`, ns, 'x')));
        if (round === 6) {
          await write(() => configMaps.delete('cm-6', { namespace: ns }));
          await write(() => configMaps.create(configMap('cm-6', ns, 'recreated')));
        }
        if (round === 3) reachedRound3();
        await sleep(100);
      }
    })();
    await round3;
    await local.restartApiServer();
    await writer;

    const truth = await retrying(() => configMaps.list({ namespace: ns }));
    const expected = new Map(truth.items.map((o) => [o.metadata.name ?? '', o]));
    const converged = () => {
      const cached = informer.lister.list();
      if (cached.length !== expected.size) return false;
      for (const o of cached) {
        const want = expected.get(o.metadata.name ?? '');
        if (want?.metadata.resourceVersion !== o.metadata.resourceVersion) return false;
      }
      for (const [name, want] of expected) {
        const last = seen.get(name);
        if (last?.deleted !== false || last.resourceVersion !== want.metadata.resourceVersion) return false;
      }
      return seen.get('cm-7')?.deleted === true;
    };
    await eventually(converged, 'the cache and the handler reach the server state', { timeoutMs: 60_000 });
    assert.equal(
      seen.get('cm-6')?.uid,
      expected.get('cm-6')?.metadata.uid,
      'the recreated object is the new one',
    );

    const health = informer.health();
    assert.ok(
      health.failures + health.reconnects >= 1,
      `the restart was noticed: ${JSON.stringify(health.lastError?.message)}`,
    );
    assert.equal(health.synced, true);
    assert.ok(failing.errors > 0, 'the failing handler kept being called');
    assert.equal(health.handlerErrors, failing.errors);
    assert.ok(logger.errors.every((e) => e.message === 'event handler failed'));
  });

  test('detects a stalled watch connection and recovers within the idle timeout', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'stall');
    await configMaps.create(configMap('heartbeat', ns, '0'));
    const idleTimeoutMs = 3000;
    const { informer, proxy } = await proxiedInformer(ns, idleTimeoutMs);
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(30_000)), true);
    await eventually(() => proxy.openConnections > 0, 'the watch is open');

    // Keep the healthy watch busy, so only the stall can make it go quiet.
    const heartbeat = { on: true };
    let beat = 0;
    const heart = (async () => {
      while (heartbeat.on) {
        await retrying(() =>
          configMaps.patch(
            'heartbeat',
            { type: 'merge', patch: { data: { v: String(++beat) } } },
            { namespace: ns },
          ),
        );
        await sleep(300);
      }
    })();
    try {
      await sleep(1500);
      assert.equal(informer.health().stalls, 0, 'a busy watch is not mistaken for a stalled one');

      assert.equal(proxy.stallExisting(), 1, 'exactly the watch connection is stalled');
      const stalledAt = Date.now();
      await configMaps.create(configMap('during-stall', ns, '1'));
      const recoveredIn = await eventually(
        () => informer.lister.get(ns, 'during-stall') !== undefined,
        'the object created during the stall reaches the cache',
        { timeoutMs: idleTimeoutMs * 3 },
      );
      const elapsed = Date.now() - stalledAt;
      assert.ok(
        elapsed < idleTimeoutMs + 3000,
        `recovered ${elapsed} ms after the stall (${recoveredIn} ms polling)`,
      );
      // Idle time counts from the last heartbeat received (at most ~300 ms before the stall).
      assert.ok(
        elapsed >= idleTimeoutMs - 1000,
        `nothing arrived before the stall was detected (${elapsed} ms)`,
      );
      const health = informer.health();
      assert.equal(health.stalls, 1);
      assert.equal(health.lastError?.reason, 'Stalled');
      assert.equal(health.state, 'watching');
    } finally {
      heartbeat.on = false;
      await heart;
    }
    const last = String(beat);
    await eventually(
      () => informer.lister.get(ns, 'heartbeat')?.data?.v === last,
      'the heartbeat is current',
    );
  });

  test('sees an object deleted and recreated while the watch was cut as delete, then add', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'recreate');
    const first = await configMaps.create(configMap('x', ns, 'first'));
    const { informer, proxy } = await proxiedInformer(ns);
    const calls: string[] = [];
    informer.addEventHandler({
      add: (o) => void calls.push(`add ${o.metadata.uid ?? ''}`),
      update: (_old, o) => void calls.push(`update ${o.metadata.uid ?? ''}`),
      delete: (o) => void calls.push(`delete ${o.metadata.uid ?? ''}`),
    });
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(30_000)), true);
    await eventually(() => proxy.openConnections > 0, 'the watch is open');

    proxy.setRefusing(true);
    await configMaps.delete('x', { namespace: ns });
    const second = await configMaps.create(configMap('x', ns, 'second'));
    await sleep(300);
    proxy.setRefusing(false);

    await eventually(() => calls.length >= 3, 'the handler hears about x again', { timeoutMs: 30_000 });
    assert.deepEqual(calls, [
      `add ${first.metadata.uid ?? ''}`,
      `delete ${first.metadata.uid ?? ''}`,
      `add ${second.metadata.uid ?? ''}`,
    ]);
    assert.equal(informer.lister.get(ns, 'x')?.data?.v, 'second');
    assert.ok(informer.health().failures >= 1, 'the cut was recorded');
  });

  test('a handler that throws or rejects stops neither the informer nor other handlers', async () => {
    const ns = await createNamespace(cp.kubeConfig, 'handlers');
    const logger = recordingLogger();
    const informer = createInformer<ConfigMap>(configMaps.inNamespace(ns), { logger });
    informers.push(informer);
    const good: string[] = [];
    informer.addEventHandler({ add: () => Promise.reject(new Error('rejected')) });
    informer.addEventHandler({
      add: () => {
        throw new TypeError('thrown');
      },
    });
    informer.addEventHandler({ add: (o) => void good.push(o.metadata.name ?? '') });
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(30_000)), true);
    for (const n of ['a', 'b', 'c']) await configMaps.create(configMap(n, ns, '1'));
    await eventually(() => good.length === 3, 'the good handler got every add');
    await eventually(
      () => informer.health().handlerErrors === 6,
      'both failing handlers failed on every add',
    );
    assert.equal(logger.errors.length, 6);
    assert.deepEqual(
      logger.errors.map((e) => (e.fields?.error as { message?: string } | undefined)?.message).sort(),
      ['rejected', 'rejected', 'rejected', 'thrown', 'thrown', 'thrown'],
    );
    assert.equal(informer.health().healthy, true);
  });

  test('a shared informer factory from a KubeConfig serves namespaced and cluster-scoped listers', async () => {
    await installCRDs(cp.kubeConfig, [...TEST_CRDS]);
    const gadgets = createResourceClient<ClusterGadget>(cp.kubeConfig, clusterGadgetResource);
    const ns = await createNamespace(cp.kubeConfig, 'factory');
    const other = await createNamespace(cp.kubeConfig, 'factory-other');
    await configMaps.create(configMap('mine', ns, '1'));
    await configMaps.create(configMap('theirs', other, '1'));
    const region = `r-${ns}`;
    await gadgets.create({ metadata: { name: `${ns}-g`, labels: { region } }, spec: { region } });

    const factory = createSharedInformerFactory({
      kubeConfig: cp.kubeConfig,
      transform: dropManagedFields,
      logger: recordingLogger(),
    });
    try {
      const scoped = factory.informerFor<ConfigMap>(configMapResource, { namespace: ns });
      const clusterWide = factory.informerFor<ClusterGadget>(clusterGadgetResource, {
        labelSelector: `region=${region}`,
      });
      factory.start();
      assert.equal(await factory.waitForCacheSync(AbortSignal.timeout(30_000)), true);
      assert.deepEqual(
        scoped.lister.list().map((o) => o.metadata.name),
        ['mine'],
      );
      const g = clusterWide.lister.get(`${ns}-g`);
      assert.equal(g?.spec.region, region);
      assert.equal(g.metadata.managedFields, undefined, 'the transform dropped managedFields');
      assert.ok(g.metadata.resourceVersion, 'resourceVersion is kept');
      assert.equal(clusterWide.lister.list(`region=${region}`).length, 1);

      await gadgets.create({
        metadata: { name: `${ns}-h`, labels: { region: 'elsewhere' } },
        spec: { region },
      });
      await gadgets.create({ metadata: { name: `${ns}-i`, labels: { region } }, spec: { region } });
      await eventually(() => clusterWide.lister.get(`${ns}-i`) !== undefined, 'a matching object arrives');
      assert.equal(clusterWide.lister.get(`${ns}-h`), undefined, 'the server filtered by the label selector');
    } finally {
      await factory.stop();
    }
  });

  test("an update built from a cached object, which has no managedFields, keeps the server's", async () => {
    const ns = await createNamespace(cp.kubeConfig, 'managed');
    const client = configMaps.inNamespace(ns);
    await client.create(configMap('cm', ns, '1'));
    const informer = createInformer<ConfigMap>(client, { logger: recordingLogger() });
    informers.push(informer);
    informer.start();
    assert.equal(await informer.waitForCacheSync(), true);
    const cached = informer.lister.get(ns, 'cm');
    assert.ok(cached);
    assert.equal(cached.metadata.managedFields, undefined, 'informers drop managedFields by default');

    const updated = await client.update({ ...structuredClone(cached), data: { v: '2' } });
    assert.equal(updated.data?.v, '2');
    const managers = (updated.metadata.managedFields ?? []).map((entry) => entry.manager);
    assert.ok(managers.length > 0, 'the server kept and extended its managedFields');
    await eventually(
      () => informer.lister.get(ns, 'cm')?.metadata.resourceVersion === updated.metadata.resourceVersion,
      'the informer sees the update',
    );
    assert.equal(informer.lister.get(ns, 'cm')?.metadata.managedFields, undefined);

    const keeping = createInformer<ConfigMap>(client, { logger: recordingLogger(), keepManagedFields: true });
    informers.push(keeping);
    keeping.start();
    assert.equal(await keeping.waitForCacheSync(), true);
    assert.deepEqual(keeping.lister.get(ns, 'cm')?.metadata.managedFields, updated.metadata.managedFields);
  });
});
