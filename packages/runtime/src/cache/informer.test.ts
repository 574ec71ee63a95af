import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, it } from 'node:test';
import { ApiError } from '../client/errors.ts';
import type { KubeObject } from '../api/index.ts';
import type { Logger, LogFields } from '../log/logger.ts';
import { FakeListerWatcher, fakeObject, listOf, settle } from '../watch/testing/fake-lister-watcher.ts';
import { FakeClock } from '../workqueue/clock.ts';
import { indexByLabel } from './indexers.ts';
import { createInformer, waitForCacheSync } from './informer.ts';
import { parseSelector } from './label-selector-parser.ts';
import { dropManagedFields } from './prepare.ts';
import type { EventHandler, Informer, InformerOptions } from './types.ts';

type Obj = KubeObject & { data?: Record<string, string> };

function recordingLogger(): Logger & { lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const log = (level: string) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message, ...(fields ? { fields } : {}) });
  const logger = {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  };
  return logger;
}

/** A handler recording calls as compact strings: `add a@1`, `update a@1->2`, `delete a@2`. */
function recorder(): EventHandler<Obj> & { calls: string[] } {
  const calls: string[] = [];
  const id = (o: Obj) => `${o.metadata.name ?? ''}@${o.metadata.resourceVersion ?? ''}`;
  return {
    calls,
    add: (o, info) => void calls.push(`add ${id(o)}${info.isInInitialList ? ' (initial)' : ''}`),
    update: (old, o) => void calls.push(`update ${id(old)}->${o.metadata.resourceVersion ?? ''}`),
    delete: (o, info) =>
      void calls.push(`delete ${id(o)}${info.finalStateUnknown ? ' (final state unknown)' : ''}`),
  };
}

const informers: Informer<Obj>[] = [];
afterEach(async () => {
  await Promise.all(informers.splice(0).map((i) => i.stop()));
});

function setup(lw: FakeListerWatcher<Obj>, options: InformerOptions<Obj> = {}) {
  const clock = new FakeClock();
  const logger = recordingLogger();
  const informer = createInformer<Obj>(lw, {
    logger,
    ...options,
    watcher: { clock, random: () => 0, ...options.watcher },
  });
  informers.push(informer);
  return { informer, clock, logger };
}

const gone = () => new ApiError('Expired', 'too old resource version', { code: 410 });

describe('informer: initial sync', () => {
  it('fills the cache, then reports synced to the informer, its waiters and each handler', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', [fakeObject('a', '1'), fakeObject('b', '2')]));
    const { informer } = setup(lw);
    const handler = recorder();
    const registration = informer.addEventHandler(handler);
    assert.equal(informer.hasSynced(), false);
    const waiting = informer.waitForCacheSync();
    informer.start();
    assert.equal(await waiting, true);
    assert.equal(informer.hasSynced(), true);
    assert.equal(informer.lister.list().length, 2);
    await settle();
    assert.deepEqual(handler.calls, ['add a@1 (initial)', 'add b@2 (initial)']);
    assert.equal(registration.hasSynced(), true);
    assert.equal(informer.health().synced, true);
  });

  it('waitForCacheSync resolves false when its signal aborts or the informer stops', async () => {
    const lw = new FakeListerWatcher<Obj>(() => new Promise<never>(() => undefined));
    const { informer } = setup(lw);
    informer.start();
    const abort = new AbortController();
    const aborted = informer.waitForCacheSync(abort.signal);
    abort.abort();
    assert.equal(await aborted, false);
    const stopped = informer.waitForCacheSync();
    await informer.stop();
    assert.equal(await stopped, false);
  });

  it('waits for several informers at once', async () => {
    const quick = setup(new FakeListerWatcher<Obj>(() => listOf('1', []))).informer;
    const never = setup(new FakeListerWatcher<Obj>(() => new Promise<never>(() => undefined))).informer;
    quick.start();
    never.start();
    assert.equal(await waitForCacheSync(undefined, quick), true);
    assert.equal(await waitForCacheSync(AbortSignal.timeout(20), quick, never), false);
  });

  it('gives a handler registered after sync an add for every cached object', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', [fakeObject('a', '1')]));
    const { informer } = setup(lw);
    informer.start();
    await informer.waitForCacheSync();
    const late = recorder();
    const registration = informer.addEventHandler(late);
    assert.equal(registration.hasSynced(), false);
    (await lw.watchNumber(1)).push({ type: 'added', object: fakeObject('b', '11') });
    await settle();
    assert.deepEqual(late.calls, ['add a@1 (initial)', 'add b@11']);
    assert.equal(registration.hasSynced(), true);
  });
});

describe('informer: changes', () => {
  it('delivers adds, updates and deletes in order and keeps the lister current', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', []));
    const { informer } = setup(lw);
    const handler = recorder();
    informer.addEventHandler(handler);
    informer.start();
    const watch = await lw.watchNumber(1);
    watch.push({ type: 'added', object: fakeObject('a', '11') });
    watch.push({ type: 'modified', object: fakeObject('a', '12') });
    await settle();
    assert.equal(informer.lister.get('default', 'a')?.metadata.resourceVersion, '12');
    watch.push({ type: 'deleted', object: fakeObject('a', '13') });
    await settle();
    assert.deepEqual(handler.calls, ['add a@11', 'update a@11->12', 'delete a@13']);
    assert.equal(informer.lister.get('default', 'a'), undefined);
  });

  it('keeps delivering to other handlers, and to itself, when a handler throws or rejects', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', []));
    const { informer, logger } = setup(lw);
    const good = recorder();
    let calls = 0;
    const throwing = informer.addEventHandler({
      add: () => {
        calls++;
        throw new Error('sync boom');
      },
    });
    const rejecting = informer.addEventHandler({
      add: async () => {
        calls++;
        await Promise.resolve();
        throw new Error('async boom');
      },
    });
    informer.addEventHandler(good);
    informer.start();
    const watch = await lw.watchNumber(1);
    watch.push(
      { type: 'added', object: fakeObject('a', '11') },
      { type: 'added', object: fakeObject('b', '12') },
    );
    await settle();
    assert.deepEqual(good.calls, ['add a@11', 'add b@12']);
    assert.equal(calls, 4, 'each failing handler got both events');
    assert.equal(throwing.errors, 2);
    assert.equal(rejecting.errors, 2);
    assert.equal(informer.health().handlerErrors, 4);
    const errors = logger.lines.filter((l) => l.level === 'error');
    assert.equal(errors.length, 4);
    assert.equal(errors[0]?.message, 'event handler failed');
    assert.equal(errors[0].fields?.name, 'a');
    assert.equal(informer.health().healthy, true);
  });

  it('calls one handler serially, awaiting its promise before the next change', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', []));
    const { informer } = setup(lw);
    const seen: string[] = [];
    let release: () => void = () => undefined;
    informer.addEventHandler({
      add: async (o) => {
        seen.push(`start ${o.metadata.name ?? ''}`);
        if (o.metadata.name === 'a') await new Promise<void>((r) => (release = r));
        seen.push(`end ${o.metadata.name ?? ''}`);
      },
    });
    informer.start();
    const watch = await lw.watchNumber(1);
    watch.push(
      { type: 'added', object: fakeObject('a', '11') },
      { type: 'added', object: fakeObject('b', '12') },
    );
    await settle();
    assert.deepEqual(seen, ['start a']);
    release();
    await settle();
    assert.deepEqual(seen, ['start a', 'end a', 'start b', 'end b']);
  });

  it('stops calling a removed handler', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', []));
    const { informer } = setup(lw);
    const handler = recorder();
    const registration = informer.addEventHandler(handler);
    informer.start();
    const watch = await lw.watchNumber(1);
    watch.push({ type: 'added', object: fakeObject('a', '11') });
    await settle();
    await registration.remove();
    watch.push({ type: 'added', object: fakeObject('b', '12') });
    await settle();
    assert.deepEqual(handler.calls, ['add a@11']);
  });
});

describe('informer: relists', () => {
  it('reports objects deleted while disconnected as deletes with their last known state', async () => {
    let listed = 0;
    const lw = new FakeListerWatcher<Obj>(() =>
      ++listed === 1
        ? listOf('10', [fakeObject('a', '1'), fakeObject('b', '2')])
        : listOf('20', [fakeObject('b', '2')]),
    );
    const { informer } = setup(lw);
    const handler = recorder();
    informer.addEventHandler(handler);
    informer.start();
    const watch = await lw.watchNumber(1);
    watch.push({ type: 'modified', object: fakeObject('a', '5') });
    watch.fail(gone());
    await lw.watchNumber(2);
    await settle();
    assert.deepEqual(handler.calls, [
      'add a@1 (initial)',
      'add b@2 (initial)',
      'update a@1->5',
      'delete a@5 (final state unknown)',
    ]);
    assert.deepEqual(
      informer.lister.list().map((o) => o.metadata.name),
      ['b'],
    );
  });

  it('reports a delete even when the handler had not yet been given the add', async () => {
    let listed = 0;
    const lw = new FakeListerWatcher<Obj>(() => (++listed === 1 ? listOf('10', []) : listOf('20', [])));
    const { informer } = setup(lw);
    const seen: string[] = [];
    let release: () => void = () => undefined;
    informer.addEventHandler({
      add: async (o) => {
        seen.push(`add ${o.metadata.name ?? ''}`);
        if (o.metadata.name === 'slow') await new Promise<void>((r) => (release = r));
      },
      delete: (o, info) =>
        void seen.push(`delete ${o.metadata.name ?? ''} ${String(info.finalStateUnknown)}`),
    });
    informer.start();
    const watch = await lw.watchNumber(1);
    watch.push(
      { type: 'added', object: fakeObject('slow', '11') },
      { type: 'added', object: fakeObject('queued', '12') },
    );
    await settle();
    assert.deepEqual(seen, ['add slow'], '"queued" is still waiting for the handler');
    watch.fail(gone());
    await lw.watchNumber(2);
    await settle();
    release();
    await settle();
    assert.deepEqual(seen, ['add slow', 'add queued', 'delete slow true', 'delete queued true']);
  });

  it('sees an object deleted and recreated under the same name while disconnected as delete then add', async () => {
    let listed = 0;
    const lw = new FakeListerWatcher<Obj>(() =>
      ++listed === 1
        ? listOf('10', [fakeObject('a', '1', { uid: 'first' })])
        : listOf('20', [fakeObject('a', '19', { uid: 'second' })]),
    );
    const { informer } = setup(lw);
    const handler = recorder();
    informer.addEventHandler(handler);
    informer.start();
    (await lw.watchNumber(1)).fail(gone());
    await lw.watchNumber(2);
    await settle();
    assert.deepEqual(handler.calls, ['add a@1 (initial)', 'delete a@1 (final state unknown)', 'add a@19']);
    assert.equal(informer.lister.get('default', 'a')?.metadata.uid, 'second');
  });

  it('tells nothing to handlers about objects a relist finds unchanged', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', [fakeObject('a', '1')]));
    const { informer } = setup(lw);
    const handler = recorder();
    informer.addEventHandler(handler);
    informer.start();
    (await lw.watchNumber(1)).fail(gone());
    await lw.watchNumber(2);
    await settle();
    assert.deepEqual(handler.calls, ['add a@1 (initial)']);
  });
});

describe('informer: options', () => {
  it('resyncs: calls update(obj, obj) for every object each period', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', [fakeObject('a', '1')]));
    const { informer, clock } = setup(lw, { resyncPeriodMs: 60_000 });
    const handler = recorder();
    informer.addEventHandler(handler);
    const fast = recorder();
    informer.addEventHandler(fast, { resyncPeriodMs: 10_000 });
    informer.start();
    await informer.waitForCacheSync();
    await settle();
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await settle();
    }
    assert.deepEqual(handler.calls, ['add a@1 (initial)', 'update a@1->1']);
    assert.equal(fast.calls.filter((c) => c.startsWith('update')).length, 6);
  });

  it('applies the transform but never drops identity fields or the resourceVersion', async () => {
    const withFields = {
      ...fakeObject('a', '1'),
      metadata: { ...fakeObject('a', '1').metadata, managedFields: [{ manager: 'kubectl' }] },
    };
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', [withFields]));
    const { informer } = setup(lw, {
      keepManagedFields: true,
      transform: (o) => {
        const trimmed = dropManagedFields(o);
        const { resourceVersion: _rv, ...metadata } = trimmed.metadata;
        return { ...trimmed, metadata };
      },
    });
    informer.start();
    await informer.waitForCacheSync();
    const cached = informer.lister.get('default', 'a')!;
    assert.equal(cached.metadata.managedFields, undefined);
    assert.equal(cached.metadata.resourceVersion, '1');
    assert.equal(cached.metadata.uid, 'uid-a');
  });

  it('drops managedFields from listed and watched objects unless told to keep them', async () => {
    const managed = (name: string, rv: string): Obj => ({
      ...fakeObject(name, rv),
      metadata: { ...fakeObject(name, rv).metadata, managedFields: [{ manager: 'kubectl' }] },
    });
    for (const keepManagedFields of [false, true]) {
      const lw = new FakeListerWatcher<Obj>(() => listOf('10', [managed('a', '1')]));
      const { informer } = setup(lw, { keepManagedFields });
      informer.start();
      await informer.waitForCacheSync();
      (await lw.watchNumber(1)).push({ type: 'added', object: managed('b', '11') });
      await settle();
      for (const name of ['a', 'b']) {
        const cached = informer.lister.get('default', name)!;
        assert.equal(
          cached.metadata.managedFields !== undefined,
          keepManagedFields,
          `${name}, keep=${String(keepManagedFields)}`,
        );
        assert.equal(cached.metadata.uid, `uid-${name}`);
      }
      await informer.stop();
      // Lists ask for managedFields to be left out only when nothing will look at it: the
      // cache drops it and there is no transform (which sees objects as the server sent them).
      assert.equal(lw.listCalls[0]?.omitManagedFields, keepManagedFields ? undefined : true);
    }
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', []));
    const { informer } = setup(lw, { transform: (o) => o });
    informer.start();
    await informer.waitForCacheSync();
    assert.equal(lw.listCalls[0]?.omitManagedFields, undefined);
    await informer.stop();
  });

  it('holds no reference to the objects as listed once they are cached', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const listed: WeakRef<object>[] = [];
    const lw = new FakeListerWatcher<Obj>(() => {
      const items = [fakeObject('a', '1'), fakeObject('b', '2')];
      for (const item of items) listed.push(new WeakRef(item));
      return listOf('10', items);
    });
    const { informer } = setup(lw);
    informer.start();
    await informer.waitForCacheSync();
    await lw.watchNumber(1); // a quiet watch is open: the informer waits for its next event
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(informer.lister.list().length, 2);
    assert.deepEqual(
      listed.map((ref) => ref.deref() === undefined),
      [true, true],
      'the cache holds compacted copies; the objects as listed must be collectable',
    );
  });

  it('caches the object untransformed when the transform throws', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', [fakeObject('a', '1')]));
    const { informer, logger } = setup(lw, {
      transform: () => {
        throw new Error('bad transform');
      },
    });
    informer.start();
    await informer.waitForCacheSync();
    assert.equal(informer.lister.list().length, 1);
    assert.ok(logger.lines.some((l) => l.level === 'error' && l.message.startsWith('transform failed')));
  });

  it('deep-freezes cached objects when asked, so mutation throws', async () => {
    const lw = new FakeListerWatcher<Obj>(() =>
      listOf('10', [fakeObject('a', '1', { labels: { app: 'web' } })]),
    );
    const { informer } = setup(lw, { freeze: true });
    informer.start();
    await informer.waitForCacheSync();
    const cached = informer.lister.get('default', 'a')!;
    assert.throws(() => {
      cached.metadata.labels!.app = 'db';
    }, TypeError);
  });

  it('sends the label selector in canonical form and the field selector as given', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', []));
    const { informer } = setup(lw, {
      labelSelector: 'tier in (b,a), app=web',
      fieldSelector: 'metadata.name=x',
    });
    informer.start();
    const watch = await lw.watchNumber(1);
    assert.equal(lw.listCalls[0]?.labelSelector, 'app=web,tier in (a,b)');
    assert.equal(lw.listCalls[0].fieldSelector, 'metadata.name=x');
    assert.equal(watch.options.labelSelector, 'app=web,tier in (a,b)');
  });

  it('rejects a malformed label selector when the informer is created', () => {
    const lw = new FakeListerWatcher<Obj>();
    assert.throws(() => createInformer(lw, { labelSelector: 'app in (web' }), /position 11/);
  });

  it('scopes to a namespace through the ListerWatcher’s inNamespace', async () => {
    const scoped = new FakeListerWatcher<Obj>(() => listOf('10', []));
    const root = Object.assign(new FakeListerWatcher<Obj>(), {
      inNamespace: (ns: string) => {
        assert.equal(ns, 'team-a');
        return scoped;
      },
    });
    const { informer } = setup(root, { namespace: 'team-a' });
    informer.start();
    await informer.waitForCacheSync();
    assert.equal(root.listCalls.length, 0);
    assert.equal(scoped.listCalls.length, 1);
    assert.throws(
      () => createInformer(new FakeListerWatcher<Obj>(), { namespace: 'x' }),
      /needs a ListerWatcher with inNamespace/,
    );
  });
});

describe('informer: lister', () => {
  it('gets, lists by selector and namespace, and reads indexes', async () => {
    const lw = new FakeListerWatcher<Obj>(() =>
      listOf('10', [
        fakeObject('a', '1', { namespace: 'x', labels: { app: 'web' } }),
        fakeObject('b', '1', { namespace: 'y', labels: { app: 'web' } }),
        fakeObject('c', '1', { namespace: 'x', labels: { app: 'db' } }),
        { metadata: { name: 'cluster-wide', uid: 'cw', resourceVersion: '1' } },
      ]),
    );
    const { informer } = setup(lw, { indexers: { app: indexByLabel('app') } });
    informer.start();
    await informer.waitForCacheSync();
    const { lister } = informer;
    assert.equal(lister.get('x', 'a')?.metadata.name, 'a');
    assert.equal(lister.get('cluster-wide')?.metadata.uid, 'cw');
    assert.equal(lister.get('y', 'a'), undefined);
    const names = (objs: readonly Obj[]) => objs.map((o) => o.metadata.name).sort();
    assert.deepEqual(names(lister.list()), ['a', 'b', 'c', 'cluster-wide']);
    assert.deepEqual(names(lister.list('app=web')), ['a', 'b']);
    assert.deepEqual(names(lister.list(parseSelector('app!=web'))), ['c', 'cluster-wide']);
    assert.deepEqual(names(lister.namespace('x').list()), ['a', 'c']);
    assert.deepEqual(names(lister.namespace('x').list('app=db')), ['c']);
    assert.equal(lister.namespace('y').get('b')?.metadata.name, 'b');
    assert.deepEqual(names(lister.byIndex('app', 'web')), ['a', 'b']);
    assert.throws(() => lister.list('app in'), /invalid label selector/);
  });
});

describe('informer: lifecycle', () => {
  it('stops watching and delivering on stop(), and cannot be restarted', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', []));
    const { informer } = setup(lw);
    const handler = recorder();
    informer.addEventHandler(handler);
    informer.start();
    const watch = await lw.watchNumber(1);
    await informer.stop();
    assert.equal(watch.closed, true);
    assert.equal(informer.health().state, 'stopped');
    watch.push({ type: 'added', object: fakeObject('a', '11') });
    await settle();
    assert.deepEqual(handler.calls, []);
    assert.throws(() => informer.start(), /cannot be restarted/);
  });

  it('stops within stopTimeoutMs even when a handler never settles', async () => {
    const lw = new FakeListerWatcher<Obj>(() => listOf('10', [fakeObject('a', '1')]));
    const { informer, clock, logger } = setup(lw, { stopTimeoutMs: 5000 });
    let called = false;
    informer.addEventHandler({
      add: () => {
        called = true;
        return new Promise<void>(() => undefined);
      },
    });
    informer.start();
    await informer.waitForCacheSync();
    await settle();
    assert.equal(called, true);
    let stopped = false;
    const stopping = informer.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false, 'waits for the handler first');
    clock.advance(5000);
    await stopping;
    assert.ok(
      logger.lines.some((l) => l.level === 'warn' && l.message.includes('handler calls were still running')),
    );
  });
});
