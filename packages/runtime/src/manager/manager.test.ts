/**
 * The manager and its controllers against a real API server: owned children enqueue their
 * owner, failures back off, terminal errors are not retried, a throwing or hanging reconcile
 * leaves the process healthy, `/metrics` and `/readyz` tell the truth.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import {
  createNamespace,
  installCRDs,
  startControlPlane,
  uninstallCRDs,
  type ControlPlane,
  type CustomResourceDefinition,
} from '@kubeforge/testing';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import { createResourceClient } from '../client/create-resource-client.ts';
import { isNotFound } from '../client/errors.ts';
import { controllerFor } from '../controller/builder.ts';
import type { Result } from '../controller/reconciler.ts';
import { TerminalError } from '../controller/reconciler.ts';
import { noopLogger } from '../log/logger.ts';
import { createOrPatch, createOrUpdate } from '../ownership/create-or-update.ts';
import { COMBINED_MESSAGE_PREFIX, eventResource, type CoreEvent } from '../events/recorder.ts';
import { setControllerReference } from '../ownership/owner-references.ts';
import { exponentialFailureRateLimiter } from '../workqueue/rate-limiters.ts';
import {
  configMapResource,
  GADGETS_CRD,
  gadgetResource,
  type ConfigMap,
  type Gadget,
} from '../testdata/gadgets.ts';
import { createManager } from './manager.ts';
import type { Manager } from './types.ts';

let cp: ControlPlane;
let namespace: string;
let manager: Manager;
let running: Promise<void>;
/** Reconcile start times per gadget name. */
const calls = new Map<string, number[]>();
const record = (name: string): number => {
  const list = calls.get(name) ?? [];
  list.push(Date.now());
  calls.set(name, list);
  return list.length;
};
const count = (name: string): number => calls.get(name)?.length ?? 0;

async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A kind whose CRD is installed only later, so its cache cannot sync until then (the readiness
 * test). Its group is this run's own: on a shared cluster, a CRD another test (or an earlier
 * run) installed must not make the manager ready early.
 */
const lateGroup = `late-${randomBytes(4).toString('hex')}.runtime.kubeforge.dev`;
const lateResource: ResourceDescriptor = {
  group: lateGroup,
  version: 'v1',
  kind: 'LateGadget',
  plural: 'lategadgets',
  namespaced: false,
};
const LATE_CRD: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `lategadgets.${lateGroup}` },
  spec: {
    group: lateGroup,
    scope: 'Cluster',
    names: { kind: 'LateGadget', listKind: 'LateGadgetList', plural: 'lategadgets', singular: 'lategadget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

let lateCrdInstalled = false;
/** Installs the CRD the readiness test holds back (when run alone) and waits for readiness. */
async function ready(): Promise<void> {
  if (!lateCrdInstalled) {
    lateCrdInstalled = true;
    await installCRDs(cp.kubeConfig, [LATE_CRD]);
  }
  await eventually(() => manager.isReady(), 'manager ready', 60_000);
}

const gadgets = () => createResourceClient<Gadget>(cp.kubeConfig, gadgetResource);
const configMaps = () => createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);

before(async () => {
  cp = await startControlPlane();
  await installCRDs(cp.kubeConfig, [GADGETS_CRD]);
  namespace = await createNamespace(cp.kubeConfig, 'mgr');
  manager = createManager({
    kubeConfig: cp.kubeConfig,
    name: 'manager-test',
    logger: noopLogger,
    probes: { port: 0, host: '127.0.0.1' },
    metricsServer: { port: 0, host: '127.0.0.1', secure: false },
    handleSignals: false,
    shutdownTimeoutMs: 2000,
    // This run's namespace only: on a shared cluster, Gadgets an earlier run left elsewhere
    // must not be reconciled (and counted) here.
    cache: { namespace },
  });
  const children = manager.client.resource<ConfigMap>(configMapResource);
  const gadgetController = controllerFor<Gadget>(gadgetResource)
    .owns(configMapResource)
    .maxConcurrentReconciles(3)
    .reconcileTimeout(300)
    .rateLimiter(exponentialFailureRateLimiter({ baseDelayMs: 50, maxDelayMs: 2000 }))
    .complete(async (request, context): Promise<Result> => {
      const gadget = await context.client.resource<Gadget>(gadgetResource).get(request.name, {
        namespace: request.namespace ?? '',
      });
      if (gadget === undefined) return {};
      record(request.name);
      switch (gadget.metadata.labels?.mode) {
        case 'flaky':
          if (count(request.name) < 4) throw new Error('flaky: not yet');
          return {};
        case 'terminal':
          throw new TerminalError('InvalidSpec', 'this gadget can never work');
        case 'hang':
          if (count(request.name) === 1) await new Promise(() => undefined); // ignores its signal
          return {};
        default: {
          const desired: ConfigMap = {
            metadata: { name: `${request.name}-child`, namespace: request.namespace ?? '' },
          };
          await createOrUpdate(children, desired, (cm) => {
            setControllerReference(gadget, cm);
            cm.data = { size: String(gadget.spec.size) };
          });
          return {};
        }
      }
    });
  manager.add(gadgetController);
  // A kind whose CRD is installed later: its cache cannot sync until then (readiness test).
  manager.add(controllerFor<KubeObject>(lateResource).complete(() => Promise.resolve({})));
  running = manager.start();
});

after(async () => {
  await manager.stop();
  await running;
  await uninstallCRDs(cp.kubeConfig, [LATE_CRD]);
  await cp.stop();
});

test('/readyz fails until every cache synced, then passes', async () => {
  const url = await eventually(() => manager.probeUrl, 'probe server');
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  const notReady = await fetch(`${url}/readyz`);
  assert.equal(notReady.status, 500, 'the LateGadget CRD is not installed yet');
  // Names the informer and why, with reason codes only.
  const body = await eventually(async () => {
    const text = await (await fetch(`${url}/readyz`)).text();
    return text.includes('last failure') ? text : undefined;
  }, '/readyz to name the failure');
  assert.match(
    body,
    /\[-\]informers failed: lategadgets\.\S+ not synced: (backoff|listing), last failure list NotFound/,
  );
  assert.doesNotMatch(body, /Bearer|token|https?:\/\//i, 'no credentials or URLs');
  assert.equal(manager.isReady(), false);
  lateCrdInstalled = true;
  await installCRDs(cp.kubeConfig, [LATE_CRD]);
  await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, '/readyz to pass', 60_000);
  assert.equal(manager.isReady(), true);
});

test('deleting an owned child reconciles its owner, which recreates it', async () => {
  await ready();
  await gadgets().create({ metadata: { name: 'owner', namespace }, spec: { size: 3 } });
  const child = await eventually(async () => {
    try {
      return await configMaps().get('owner-child', { namespace });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }, 'the child ConfigMap');
  assert.equal(child.metadata.ownerReferences?.[0]?.controller, true);
  const before = count('owner');
  await configMaps().delete('owner-child', { namespace });
  await eventually(() => count('owner') > before, 'a reconcile of the owner after the child was deleted');
  const recreated = await eventually(async () => {
    try {
      return await configMaps().get('owner-child', { namespace });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }, 'the recreated child');
  assert.notEqual(recreated.metadata.uid, child.metadata.uid);
});

test('a failing reconcile is retried with growing delays until it succeeds', async () => {
  await ready();
  await gadgets().create({
    metadata: { name: 'flaky', namespace, labels: { mode: 'flaky' } },
    spec: { size: 1 },
  });
  await eventually(() => count('flaky') >= 4, 'four attempts');
  const times = calls.get('flaky') ?? [];
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  // Backoff 50 ms, 100 ms, 200 ms: each gap at least its delay and growing.
  assert.ok((gaps[0] ?? 0) >= 40, `first retry after ${gaps[0]} ms`);
  assert.ok((gaps[2] ?? 0) >= 180, `third retry after ${gaps[2]} ms`);
  assert.ok((gaps[2] ?? 0) > (gaps[0] ?? 0));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(count('flaky'), 4, 'no retries after the success');
});

test('a terminal error is not retried', async () => {
  await ready();
  await gadgets().create({
    metadata: { name: 'terminal', namespace, labels: { mode: 'terminal' } },
    spec: { size: 1 },
  });
  await eventually(() => count('terminal') >= 1, 'the first attempt');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(count('terminal'), 1);
});

test('a reconcile that hangs past its timeout is abandoned and retried, and the process stays healthy', async () => {
  await ready();
  await gadgets().create({
    metadata: { name: 'hang', namespace, labels: { mode: 'hang' } },
    spec: { size: 1 },
  });
  await eventually(() => count('hang') >= 1, 'the hanging attempt');
  // Other objects keep being reconciled meanwhile.
  await gadgets().create({ metadata: { name: 'after-hang', namespace }, spec: { size: 2 } });
  await eventually(() => count('after-hang') >= 1, 'a reconcile of another object');
  // Timeout 300 ms, then the object is released after another 300 ms and retried.
  await eventually(() => count('hang') >= 2, 'the retry of the hung object', 5000);
  const url = manager.probeUrl ?? '';
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
});

test('/metrics exposes controller-runtime names with values matching the run', async () => {
  await eventually(() => count('terminal') >= 1 && count('flaky') >= 4, 'earlier tests');
  assert.equal((await fetch(`${manager.probeUrl ?? ''}/metrics`)).status, 404, 'not on the probe port');
  const text = await (await fetch(`${manager.metricsUrl ?? ''}/metrics`)).text();
  const value = (series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    assert.ok(line !== undefined, `missing ${series}`);
    return Number(line.slice(series.length + 1));
  };
  assert.ok(value('controller_runtime_reconcile_total{controller="gadget",result="success"}') >= 3);
  // 3 flaky failures + 1 terminal + 1 timeout.
  assert.ok(value('controller_runtime_reconcile_total{controller="gadget",result="error"}') >= 5);
  assert.ok(value('controller_runtime_reconcile_errors_total{controller="gadget"}') >= 5);
  assert.equal(value('controller_runtime_terminal_reconcile_errors_total{controller="gadget"}'), 1);
  assert.ok(value('controller_runtime_reconcile_time_seconds_count{controller="gadget"}') >= 8);
  assert.equal(value('controller_runtime_max_concurrent_reconciles{controller="gadget"}'), 3);
  assert.ok(value('controller_runtime_active_workers{controller="gadget"}') >= 0);
  assert.ok(value('workqueue_adds_total{name="gadget",controller="gadget"}') >= 5);
  assert.ok(value('workqueue_retries_total{name="gadget",controller="gadget"}') >= 4);
  assert.ok(value('workqueue_depth{name="gadget",controller="gadget"}') >= 0);
  assert.match(text, /workqueue_queue_duration_seconds_bucket\{[^}]*name="gadget"/);
  assert.match(text, /workqueue_work_duration_seconds_count\{[^}]*name="gadget"/);
  assert.equal(
    value(`kubeforge_watch_healthy{resource="gadgets.runtime.kubeforge.dev/v1 namespace=${namespace}"}`),
    1,
  );
  assert.match(text, /kubeforge_watch_reconnects_total\{resource="configmaps.v1 namespace=[^"]+"\} \d+/);
  // client-go's names: the manager's list, watch and write requests to the API server.
  const host = new URL(cp.kubeConfig.getCurrentCluster()?.server ?? '').host;
  assert.ok(value(`rest_client_requests_total{code="200",method="GET",host="${host}"}`) >= 2);
  assert.ok(value(`rest_client_request_duration_seconds_count{verb="GET",host="${host}"}`) >= 2);
  assert.match(text, /rest_client_request_duration_seconds_bucket\{le="0.005",verb="GET",host="[^"]+"\}/);
});

test('repeated events are aggregated into one Event with a count', async () => {
  const recorder = manager.eventRecorder('aggregation-test');
  const gadget = await gadgets().create({
    metadata: { name: 'evented', namespace, labels: { mode: 'terminal' } },
    spec: { size: 1 },
  });
  for (let i = 0; i < 3; i++) recorder.event(gadget, 'Normal', 'Tested', 'same message');
  recorder.event(gadget, 'Warning', 'Tested', 'another message');
  await recorder.flush();
  assert.equal(recorder.failures, 0);
  const events = (
    await createResourceClient<CoreEvent>(cp.kubeConfig, eventResource).list({ namespace })
  ).items.filter((e) => e.involvedObject.name === 'evented' && e.reason === 'Tested');
  assert.deepEqual(events.map((e) => [e.type, e.message, e.count]).sort(), [
    ['Normal', 'same message', 3],
    ['Warning', 'another message', 1],
  ]);
  const normal = events.find((e) => e.type === 'Normal');
  assert.ok(normal !== undefined);
  assert.equal(normal.involvedObject.uid, gadget.metadata.uid);
  assert.equal(normal.involvedObject.kind, 'Gadget');
  assert.equal(normal.source?.component, 'aggregation-test');
});

test('similar events with changing messages are combined into one Event', async () => {
  const recorder = manager.eventRecorder('combining-test');
  const gadget = await gadgets().create({
    metadata: { name: 'noisy', namespace, labels: { mode: 'terminal' } },
    spec: { size: 1 },
  });
  for (let i = 1; i <= 12; i++) recorder.event(gadget, 'Warning', 'SyncFailed', `attempt ${String(i)}`);
  await recorder.flush();
  assert.equal(recorder.failures, 0);
  const events = (
    await createResourceClient<CoreEvent>(cp.kubeConfig, eventResource).list({ namespace })
  ).items.filter((e) => e.involvedObject.name === 'noisy' && e.reason === 'SyncFailed');
  assert.equal(events.length, 10);
  const combined = events.filter((e) => e.message?.startsWith(COMBINED_MESSAGE_PREFIX) === true);
  assert.deepEqual(
    combined.map((e) => [e.message, e.count]),
    [[`${COMBINED_MESSAGE_PREFIX}attempt 12`, 3]],
  );
});

test('createOrUpdate and createOrPatch report created, updated and unchanged', async () => {
  const client = configMaps();
  const desired: ConfigMap = { metadata: { name: 'cou', namespace } };
  const setData = (value: string) => (cm: ConfigMap) => {
    cm.data = { ...cm.data, key: value };
  };
  assert.equal((await createOrUpdate(client, desired, setData('1'))).result, 'created');
  assert.equal((await createOrUpdate(client, desired, setData('1'))).result, 'unchanged');
  const updated = await createOrUpdate(client, desired, setData('2'));
  assert.equal(updated.result, 'updated');
  assert.equal(updated.object.data?.key, '2');
  // createOrPatch leaves fields it does not touch alone, even ones written after its read.
  await client.patch('cou', { type: 'merge', patch: { data: { other: 'x' } } }, { namespace });
  const patched = await createOrPatch(client, desired, setData('3'));
  assert.equal(patched.result, 'updated');
  assert.deepEqual(patched.object.data, { key: '3', other: 'x' });
  assert.equal((await createOrPatch(client, desired, setData('3'))).result, 'unchanged');
  await assert.rejects(
    createOrUpdate(client, desired, (cm) => {
      cm.metadata.name = 'renamed';
    }),
    /changed the object's identity/,
  );
});

test('reading a kind no controller watches starts a shared informer for it on first use', async () => {
  await ready();
  const gadget = await gadgets().create({
    metadata: { name: 'lazy', namespace, labels: { mode: 'terminal' } },
    spec: { size: 1 },
  });
  const recorder = manager.eventRecorder('lazy-test');
  recorder.event(gadget, 'Normal', 'Lazy', 'an event to find');
  await recorder.flush();
  const events = manager.client.resource<CoreEvent>(eventResource);
  assert.equal(
    manager.informers.informers().some((i) => i.resource.plural === 'events'),
    false,
  );
  const listed = await events.list({ namespace });
  assert.ok(listed.some((e) => e.reason === 'Lazy' && e.involvedObject.name === 'lazy'));
  assert.equal(
    manager.informers.informers().some((i) => i.resource.plural === 'events'),
    true,
  );
  await assert.rejects(events.get('x'), /Event is namespaced; pass \{ namespace \}/);
});

test('createOrPatch writes spec changes to the object and status changes to the status subresource', async () => {
  await ready();
  const client = gadgets();
  const desired: Gadget = {
    metadata: { name: 'patched', namespace, labels: { mode: 'terminal' } },
    spec: { size: 1 },
  };
  assert.equal((await createOrPatch(client, desired, () => undefined)).result, 'created');
  const { result, object } = await createOrPatch(client, desired, (g) => {
    g.spec.size = 5;
    g.status = { phase: 'Ready', observedGeneration: 2 };
  });
  assert.equal(result, 'updated');
  const stored = await client.get('patched', { namespace });
  assert.equal(stored.spec.size, 5);
  assert.deepEqual(stored.status, { phase: 'Ready', observedGeneration: 2 });
  assert.equal(object.metadata.resourceVersion, stored.metadata.resourceVersion);
});
