/** The controller engine with in-memory informers and a fake clock. */
import type { LogFields, Logger } from '../log/logger.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import { FakeClock } from '../workqueue/clock.ts';
import { exponentialFailureRateLimiter } from '../workqueue/rate-limiters.ts';
import { controllerFor } from './builder.ts';
import type { Client } from './client.ts';
import { createController } from './controller.ts';
import { ControllerError, ControllerStoppedError, type Controller } from './types.ts';
import { generationChanged } from './predicates.ts';
import type { Reconciler, Request } from './reconciler.ts';
import { ReconcileTimeoutError, TerminalError } from './reconciler.ts';
import { FakeInformerFactory } from './testing/fake-informers.ts';

const foo: ResourceDescriptor = {
  group: 'samples.kubeforge.dev',
  version: 'v1',
  kind: 'Foo',
  plural: 'foos',
  namespaced: true,
};
const cm: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};
const fooObj = (name: string, generation = 1, rv = '1'): KubeObject => ({
  apiVersion: 'samples.kubeforge.dev/v1',
  kind: 'Foo',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, generation, resourceVersion: rv },
});

const tick = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};
const noClient = {} as Client;

function setUp(reconciler: Reconciler, configure = controllerFor(foo)) {
  const informers = new FakeInformerFactory();
  const clock = new FakeClock();
  const blueprint = configure
    .rateLimiter(exponentialFailureRateLimiter({ baseDelayMs: 10, maxDelayMs: 1000 }))
    .complete(reconciler);
  const controller: Controller = createController({
    ...blueprint,
    sources: blueprint.sources,
    informers,
    client: noClient,
    clock,
    random: () => 0,
  });
  return { controller, clock, primary: informers.informerFor(foo), children: informers.informerFor(cm) };
}

test('workers start only after every watched cache has synced', async () => {
  const seen: string[] = [];
  const { controller, primary, children } = setUp((r) => {
    seen.push(r.name);
    return Promise.resolve({});
  }, controllerFor(foo).owns(cm));
  const started = controller.start();
  primary.sync([fooObj('a')]);
  await tick();
  assert.deepEqual(seen, [], 'the child cache has not synced yet');
  children.sync([]);
  assert.equal(await started, true);
  await tick();
  assert.deepEqual(seen, ['a']);
  await controller.stop();
});

test('a request names the object: namespace and name', async () => {
  const seen: Request[] = [];
  const { controller, primary } = setUp((r) => {
    seen.push(r);
    return Promise.resolve({});
  });
  primary.sync([fooObj('a')]);
  await controller.start();
  await tick();
  assert.deepEqual(seen, [{ namespace: 'ns', name: 'a' }]);
  await controller.stop();
});

test('success forgets the backoff; errors requeue with growing delays', async () => {
  let attempts = 0;
  const { controller, primary, clock } = setUp(() => {
    attempts++;
    return attempts <= 3 ? Promise.reject(new Error('not yet')) : Promise.resolve({});
  });
  primary.sync([fooObj('a')]);
  await controller.start();
  await tick();
  assert.equal(attempts, 1);
  assert.equal(controller.queue.numRequeues('ns/a'), 1);
  clock.advance(9);
  await tick();
  assert.equal(attempts, 1, 'first retry waits 10 ms');
  clock.advance(1);
  await tick();
  assert.equal(attempts, 2);
  clock.advance(19);
  await tick();
  assert.equal(attempts, 2, 'second retry waits 20 ms');
  clock.advance(1);
  await tick();
  assert.equal(attempts, 3);
  clock.advance(40);
  await tick();
  assert.equal(attempts, 4);
  assert.equal(controller.queue.numRequeues('ns/a'), 0, 'success resets the backoff');
  await controller.stop();
});

test('a reconciler that throws synchronously is retried like one that rejects', async () => {
  let attempts = 0;
  const { controller, primary, clock } = setUp(() => {
    attempts++;
    if (attempts === 1) throw new Error('sync throw');
    return Promise.resolve({});
  });
  primary.sync([fooObj('a')]);
  await controller.start();
  await tick();
  clock.advance(10);
  await tick();
  assert.equal(attempts, 2);
  await controller.stop();
});

test('a terminal error is not retried and resets the backoff', async () => {
  let attempts = 0;
  const { controller, primary, clock } = setUp(() => {
    attempts++;
    return Promise.reject(new TerminalError('InvalidSpec', 'never'));
  });
  primary.sync([fooObj('a')]);
  await controller.start();
  await tick();
  clock.advance(60_000);
  await tick();
  assert.equal(attempts, 1);
  assert.equal(controller.queue.numRequeues('ns/a'), 0);
  await controller.stop();
});

test('requeueAfterMs reconciles again after exactly that delay', async () => {
  let attempts = 0;
  const { controller, primary, clock } = setUp(() => {
    attempts++;
    return Promise.resolve(attempts === 1 ? { requeueAfterMs: 5000 } : {});
  });
  primary.sync([fooObj('a')]);
  await controller.start();
  await tick();
  clock.advance(4999);
  await tick();
  assert.equal(attempts, 1);
  clock.advance(1);
  await tick();
  assert.equal(attempts, 2);
  await controller.stop();
});

test('predicates filter events: a status-only update does not pass generationChanged', async () => {
  let attempts = 0;
  const { controller, primary } = setUp(() => {
    attempts++;
    return Promise.resolve({});
  }, controllerFor(foo).withPredicates(generationChanged));
  primary.sync([fooObj('a')]);
  await controller.start();
  await tick();
  primary.set(fooObj('a', 1, '2'));
  await tick();
  assert.equal(attempts, 1);
  primary.set(fooObj('a', 2, '3'));
  await tick();
  assert.equal(attempts, 2);
  await controller.stop();
});

test('the periodic resync enqueues every primary, bypassing predicates', async () => {
  let attempts = 0;
  const { controller, primary, clock } = setUp(() => {
    attempts++;
    return Promise.resolve({});
  }, controllerFor(foo).withPredicates(generationChanged).resyncPeriod(60_000));
  primary.sync([fooObj('a'), fooObj('b')]);
  await controller.start();
  await tick();
  assert.equal(attempts, 2);
  clock.advance(60_000);
  await tick();
  assert.equal(attempts, 4);
  await controller.stop();
});

test('a change to an owned child enqueues its controller owner', async () => {
  const seen: string[] = [];
  const { controller, primary, children } = setUp((r) => {
    seen.push(r.name);
    return Promise.resolve({});
  }, controllerFor(foo).owns(cm));
  primary.sync([]);
  children.sync([]);
  await controller.start();
  children.set({
    metadata: {
      name: 'child',
      namespace: 'ns',
      ownerReferences: [
        { apiVersion: 'samples.kubeforge.dev/v1', kind: 'Foo', name: 'parent', uid: 'u', controller: true },
      ],
    },
  });
  await tick();
  assert.deepEqual(seen, ['parent']);
  await controller.stop();
});

test('a reconcile past its timeout has its signal aborted, is requeued, and frees its worker', async () => {
  const signals: AbortSignal[] = [];
  const seen: string[] = [];
  const { controller, primary, clock } = setUp((r, ctx) => {
    seen.push(r.name);
    signals.push(ctx.signal);
    return r.name === 'hang' && seen.filter((n) => n === 'hang').length === 1
      ? new Promise(() => undefined)
      : Promise.resolve({});
  }, controllerFor(foo).reconcileTimeout(1000));
  primary.sync([fooObj('hang')]);
  await controller.start();
  await tick();
  clock.advance(1000);
  await tick();
  assert.ok(signals[0]?.reason instanceof ReconcileTimeoutError);
  assert.equal(controller.status().abandonedReconciles, 1);
  primary.set(fooObj('other'));
  await tick();
  assert.deepEqual(seen, ['hang', 'other'], 'the only worker was freed');
  // The hung object stays locked until the grace period, then is retried.
  clock.advance(1000);
  await tick();
  assert.deepEqual(seen, ['hang', 'other', 'hang']);
  await controller.stop({ timeoutMs: 0 });
});

test('stop lets in-flight reconciles finish within the limit, then aborts them; nothing starts after', async () => {
  const clock = new FakeClock();
  const gate = { release: (): void => undefined };
  const signals: AbortSignal[] = [];
  let attempts = 0;
  const informers = new FakeInformerFactory();
  const controller = createController({
    ...controllerFor(foo).complete((_r, ctx) => {
      attempts++;
      signals.push(ctx.signal);
      return new Promise((resolve) => {
        gate.release = () => resolve({});
      });
    }),
    informers,
    client: noClient,
    clock,
  });
  informers.informerFor(foo).sync([fooObj('a')]);
  await controller.start();
  await tick();
  const stopped = controller.stop({ timeoutMs: 5000 });
  informers.informerFor(foo).set(fooObj('b'));
  clock.advance(4999);
  await tick();
  const signal = signals[0];
  assert.ok(signal !== undefined);
  assert.equal(signal.aborted, false, 'still within the limit');
  clock.advance(1);
  await tick();
  assert.ok(signal.reason instanceof ControllerStoppedError);
  gate.release();
  await stopped;
  assert.equal(attempts, 1, 'no reconcile starts after stop');
});

test('invalid options are refused with the field and the fix', () => {
  const informers = new FakeInformerFactory();
  const blueprint = controllerFor(foo).complete(() => Promise.resolve({}));
  assert.throws(
    () => createController({ ...blueprint, name: 'Bad Name', informers, client: noClient }),
    (e: unknown) => e instanceof ControllerError && e.message.includes('lowercase'),
  );
  assert.throws(
    () => createController({ ...blueprint, maxConcurrentReconciles: 0, informers, client: noClient }),
    (e: unknown) =>
      e instanceof ControllerError && e.message.includes('maxConcurrentReconciles must be an integer >= 1'),
  );
});

test('the builder names the controller after the primary kind and applies global predicates to every source', () => {
  const blueprint = controllerFor(foo)
    .owns(cm)
    .withPredicates(generationChanged)
    .complete(() => Promise.resolve({}));
  assert.equal(blueprint.name, 'foo');
  assert.equal(blueprint.primary.predicates.length, 1);
  assert.equal(blueprint.sources[0]?.predicates.length, 1);
  assert.equal(
    controllerFor(foo)
      .named('custom')
      .complete(() => Promise.resolve({})).name,
    'custom',
  );
});

test('the reconcile logger carries controller, namespace, name and a unique reconcileID', async () => {
  const lines: Record<string, unknown>[] = [];
  const makeLogger = (bindings: LogFields = {}): Logger => {
    const capture = (message: string, fields?: LogFields): void => {
      lines.push({ msg: message, ...bindings, ...fields });
    };
    return {
      debug: capture,
      info: capture,
      warn: capture,
      error: capture,
      child: (more) => makeLogger({ ...bindings, ...more }),
    };
  };
  const logger = makeLogger();
  const informers = new FakeInformerFactory();
  const ids: string[] = [];
  const controller = createController({
    ...controllerFor(foo).complete((_r, ctx) => {
      ids.push(ctx.reconcileID);
      ctx.logger.info('hello from the reconciler');
      return Promise.resolve({});
    }),
    informers,
    client: noClient,
    logger,
  });
  informers.informerFor(foo).sync([fooObj('a'), fooObj('b')]);
  await controller.start();
  await tick();
  const hellos = lines.filter((l) => l.msg === 'hello from the reconciler');
  assert.deepEqual(
    hellos.map((l) => [l.controller, l.namespace, l.name, l.reconcileID]),
    [
      ['foo', 'ns', 'a', ids[0]],
      ['foo', 'ns', 'b', ids[1]],
    ],
  );
  assert.notEqual(ids[0], ids[1]);
  await controller.stop();
});

test('watches maps changes of another kind to the requests its map function names', async () => {
  const seen: string[] = [];
  const { controller, primary, children } = setUp(
    (r) => {
      seen.push(r.name);
      return Promise.resolve({});
    },
    controllerFor(foo).watches(cm, (object) =>
      object.metadata.labels?.foo === undefined
        ? []
        : [{ namespace: 'ns', name: object.metadata.labels.foo }],
    ),
  );
  primary.sync([]);
  children.sync([]);
  await controller.start();
  children.set({ metadata: { name: 'unrelated', namespace: 'ns' } });
  children.set({ metadata: { name: 'settings', namespace: 'ns', labels: { foo: 'target' } } });
  await tick();
  assert.deepEqual(seen, ['target']);
  await controller.stop();
});

test('a source over several namespaces gets one informer each, and stopping releases every lease', async () => {
  const seen: string[] = [];
  const informers = new FakeInformerFactory();
  const blueprint = controllerFor(foo)
    .owns(cm, { scope: { namespaces: ['y', 'x'] } })
    .complete((r) => {
      seen.push(r.name);
      return Promise.resolve({});
    });
  const controller = createController({ ...blueprint, informers, client: noClient, clock: new FakeClock() });
  const started = controller.start();
  assert.deepEqual(
    informers.informers().map((e) => [e.resource.plural, e.scope.namespace, e.references]),
    [
      ['foos', undefined, 1],
      ['configmaps', 'x', 1],
      ['configmaps', 'y', 1],
    ],
  );
  informers.peek(foo)?.sync([]);
  informers.peek(cm, { namespace: 'x' })?.sync([]);
  informers.peek(cm, { namespace: 'y' })?.sync([]);
  assert.equal(await started, true);
  const owned = (namespace: string): KubeObject => ({
    metadata: {
      name: `child-${namespace}`,
      namespace,
      ownerReferences: [
        {
          apiVersion: 'samples.kubeforge.dev/v1',
          kind: 'Foo',
          name: `owner-${namespace}`,
          uid: 'u',
          controller: true,
        },
      ],
    },
  });
  informers.peek(cm, { namespace: 'y' })?.set(owned('y'));
  await tick();
  assert.deepEqual(seen, ['owner-y'], 'a change in any namespace of the scope enqueues its owner');
  await controller.stop();
  assert.deepEqual(informers.informers(), [], 'every lease was released');
});
