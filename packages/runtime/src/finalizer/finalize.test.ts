/**
 * The finalizer flow against a real API server: the finalizer is added before `apply`
 * runs; deleting the object runs `cleanup` exactly once, then the object is gone — also
 * when the deletion happens while the operator is down and a new manager picks it up.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { createResourceClient } from '../client/create-resource-client.ts';
import { isNotFound } from '../client/errors.ts';
import { controllerFor } from '../controller/builder.ts';
import { noopLogger } from '../log/logger.ts';
import { createManager } from '../manager/manager.ts';
import type { Manager } from '../manager/types.ts';
import { GADGETS_CRD, gadgetResource, type Gadget } from '../testdata/gadgets.ts';
import { finalize, FinalizerError } from './finalize.ts';

const FINALIZER = 'runtime.kubeforge.dev/cleanup';
let cp: ControlPlane;
const applied: string[] = [];
const cleanedUp: string[] = [];

before(async () => {
  cp = await startControlPlane();
  await installCRDs(cp.kubeConfig, [GADGETS_CRD]);
});
after(() => cp.stop());

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

function startManager(namespace: string): { manager: Manager; running: Promise<void> } {
  const manager = createManager({
    kubeConfig: cp.kubeConfig,
    logger: noopLogger,
    handleSignals: false,
    cache: { namespace },
  });
  manager.add(
    controllerFor<Gadget>(gadgetResource)
      .maxConcurrentReconciles(4)
      .resyncPeriod(200) // many redundant reconciles: cleanup must still run once
      .complete(async (request, context) => {
        const gadgets = context.client.resource<Gadget>(gadgetResource);
        const gadget = await gadgets.get(request.name, { namespace: request.namespace ?? '' });
        if (gadget === undefined) return {};
        return finalize(gadgets, gadget, {
          finalizer: FINALIZER,
          apply: (g) => {
            applied.push(g.metadata.uid ?? '');
            return Promise.resolve({});
          },
          cleanup: async (g) => {
            cleanedUp.push(g.metadata.uid ?? '');
            await new Promise((r) => setTimeout(r, 100)); // widen the window for duplicates
          },
          signal: context.signal,
        });
      }),
  );
  return { manager, running: manager.start() };
}

const gone = async (namespace: string, name: string): Promise<boolean> => {
  try {
    await createResourceClient<Gadget>(cp.kubeConfig, gadgetResource).get(name, { namespace });
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
};

test('the finalizer is added before apply runs, and deletion runs cleanup once then lets the object go', async () => {
  const namespace = await createNamespace(cp.kubeConfig, 'fin');
  const gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource);
  const { manager, running } = startManager(namespace);
  try {
    const created = await gadgets.create({ metadata: { name: 'one', namespace }, spec: { size: 1 } });
    const uid = created.metadata.uid ?? '';
    await eventually(() => applied.includes(uid), 'apply');
    const stored = await gadgets.get('one', { namespace });
    assert.deepEqual(stored.metadata.finalizers, [FINALIZER]);
    const result = await gadgets.delete('one', { namespace });
    assert.equal(result.status, 'pending', 'the finalizer holds the object');
    await eventually(() => gone(namespace, 'one'), 'the object to be deleted');
    await new Promise((r) => setTimeout(r, 600)); // several resyncs later
    assert.equal(cleanedUp.filter((u) => u === uid).length, 1);
  } finally {
    await manager.stop();
    await running;
  }
});

test('a deletion while the operator is down is cleaned up exactly once after a restart', async () => {
  const namespace = await createNamespace(cp.kubeConfig, 'fin');
  const gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource);
  const first = startManager(namespace);
  const created = await gadgets.create({ metadata: { name: 'two', namespace }, spec: { size: 1 } });
  const uid = created.metadata.uid ?? '';
  await eventually(() => applied.includes(uid), 'apply by the first manager');
  await first.manager.stop();
  await first.running;

  await gadgets.delete('two', { namespace });
  assert.equal(await gone(namespace, 'two'), false, 'held by the finalizer while nobody runs');
  assert.equal(cleanedUp.includes(uid), false);

  const second = startManager(namespace);
  try {
    await eventually(() => gone(namespace, 'two'), 'cleanup by the restarted manager');
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(cleanedUp.filter((u) => u === uid).length, 1);
  } finally {
    await second.manager.stop();
    await second.running;
  }
  // A third start sees nothing left to clean up.
  const third = startManager(namespace);
  await new Promise((r) => setTimeout(r, 800));
  await third.manager.stop();
  await third.running;
  assert.equal(cleanedUp.filter((u) => u === uid).length, 1);
});

test('a finalizer name that is not domain-qualified is rejected with a hint', async () => {
  const gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource);
  await assert.rejects(
    finalize(
      gadgets,
      { metadata: { name: 'x', namespace: 'default' }, spec: { size: 1 } },
      {
        finalizer: 'cleanup',
        apply: () => Promise.resolve({}),
        cleanup: () => Promise.resolve(),
      },
    ),
    (err: unknown) =>
      err instanceof FinalizerError &&
      err.reason === 'InvalidFinalizerName' &&
      err.message.includes('example.com/cleanup'),
  );
});
