import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import { ApiError } from '../client/errors.ts';
import { noopLogger } from '../log/logger.ts';
import { FakeClock } from '../workqueue/clock.ts';
import { FakeListerWatcher, fakeObject, listOf, settle } from './testing/fake-lister-watcher.ts';
import type { WatcherEvent, WatcherOptions } from './types.ts';
import { createWatcher } from './watcher.ts';

const stops: AbortController[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) s.abort();
  await settle();
});

function start(lw: FakeListerWatcher<KubeObject>, options: WatcherOptions = {}) {
  const clock = new FakeClock();
  const stop = new AbortController();
  stops.push(stop);
  const watcher = createWatcher(lw, {
    clock,
    logger: noopLogger,
    random: () => 0,
    signal: stop.signal,
    watchList: true,
    ...options,
  });
  const events: WatcherEvent<KubeObject>[] = [];
  void (async () => {
    for await (const event of watcher) events.push(event);
  })();
  return { clock, events, watcher };
}

const endOfInitialEvents = (resourceVersion: string) =>
  ({ type: 'bookmark', resourceVersion, initialEventsEnd: true }) as const;
const names = (event: WatcherEvent<KubeObject> | undefined): string[] =>
  event?.type === 'listed' ? event.objects.map((o) => o.metadata.name ?? '').sort() : [];

describe('watcher: watch-list', () => {
  it('streams the initial state in one watch, then keeps watching on it without a list', async () => {
    const lw = new FakeListerWatcher<KubeObject>();
    const h = start(lw);
    const stream = await lw.watchNumber(1);
    assert.equal(stream.options.sendInitialEvents, true);
    assert.equal(stream.options.resourceVersionMatch, 'NotOlderThan');
    assert.equal(stream.options.resourceVersion, undefined, 'the latest state: a consistent read');
    assert.equal(stream.options.allowWatchBookmarks, true);
    stream.push(
      { type: 'added', object: fakeObject('a', '5') },
      { type: 'added', object: fakeObject('b', '6') },
      { type: 'bookmark', resourceVersion: '7' },
    );
    await settle();
    assert.equal(h.events.length, 0, 'nothing is yielded before the initial events end');
    assert.equal(h.watcher.health().state, 'listing');
    stream.push(endOfInitialEvents('9'), { type: 'modified', object: fakeObject('a', '10') });
    await settle();
    assert.deepEqual(
      h.events.map((e) => e.type),
      ['listed', 'modified'],
    );
    assert.deepEqual(names(h.events[0]), ['a', 'b']);
    assert.equal(h.events[0]?.type === 'listed' && h.events[0].resourceVersion, '9');
    assert.equal(lw.listCalls.length, 0);
    assert.equal(lw.watches.length, 1, 'the same connection goes on as the watch');
    assert.equal(h.watcher.health().healthy, true);
  });

  it('keeps only what the initial events leave: a delete before the end removes the object', async () => {
    const lw = new FakeListerWatcher<KubeObject>();
    const h = start(lw);
    const stream = await lw.watchNumber(1);
    stream.push(
      { type: 'added', object: fakeObject('a', '5') },
      { type: 'added', object: fakeObject('b', '6') },
      { type: 'deleted', object: fakeObject('a', '7') },
      endOfInitialEvents('7'),
    );
    await settle();
    assert.deepEqual(names(h.events[0]), ['b']);
  });

  it('prepares every object as it arrives, the initial ones and the changes after them', async () => {
    const lw = new FakeListerWatcher<KubeObject>();
    const prepared = (o: KubeObject): KubeObject => ({
      ...o,
      metadata: { ...o.metadata, labels: { seen: 'yes' } },
    });
    const h = start(lw, { prepare: prepared });
    const stream = await lw.watchNumber(1);
    stream.push({ type: 'added', object: fakeObject('a', '5') }, endOfInitialEvents('5'));
    stream.push({ type: 'added', object: fakeObject('b', '6') });
    await settle();
    const labels = h.events.flatMap((e) =>
      e.type === 'listed'
        ? e.objects.map((o) => o.metadata.labels)
        : e.type === 'added'
          ? [e.object.metadata.labels]
          : [],
    );
    assert.deepEqual(labels, [{ seen: 'yes' }, { seen: 'yes' }]);
  });

  it('lists instead, for good, when the server refuses watch-list (an older server)', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', [fakeObject('a', '9')]));
    const h = start(lw);
    (await lw.watchNumber(1)).fail(
      new ApiError(
        'Invalid',
        'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch',
        {
          code: 422,
        },
      ),
    );
    const watch = await lw.watchNumber(2);
    assert.equal(lw.listCalls[0]?.resourceVersion, '0');
    assert.equal(watch.options.sendInitialEvents, undefined);
    assert.equal(watch.options.resourceVersion, '10');
    await settle();
    assert.deepEqual(names(h.events[0]), ['a']);
    watch.fail(new ApiError('Expired', 'too old resource version', { code: 410 }));
    await lw.listCallNumber(2);
    assert.equal(lw.listCalls[1]?.resourceVersionMatch, 'NotOlderThan', 'relists, never streams again');
    assert.equal(lw.watches.filter((w) => w.options.sendInitialEvents === true).length, 1);
  });

  it('starts the stream over, after a backoff, when it ends before the initial events do', async () => {
    const lw = new FakeListerWatcher<KubeObject>();
    const h = start(lw);
    const first = await lw.watchNumber(1);
    first.push({ type: 'added', object: fakeObject('a', '5') });
    await settle();
    first.end();
    await settle();
    assert.equal(h.watcher.health().state, 'backoff');
    h.clock.advance(1000);
    const second = await lw.watchNumber(2);
    second.push({ type: 'added', object: fakeObject('b', '6') }, endOfInitialEvents('6'));
    await settle();
    assert.deepEqual(names(h.events[0]), ['b'], 'nothing of the abandoned stream is kept');
  });

  it('streams again not older than the last version after a 410 while watching', async () => {
    const lw = new FakeListerWatcher<KubeObject>();
    const h = start(lw);
    const first = await lw.watchNumber(1);
    first.push({ type: 'added', object: fakeObject('a', '5') }, endOfInitialEvents('8'));
    first.push({ type: 'modified', object: fakeObject('a', '12') });
    await settle();
    first.fail(new ApiError('Expired', 'too old resource version', { code: 410 }));
    const second = await lw.watchNumber(2);
    assert.equal(second.options.sendInitialEvents, true);
    assert.equal(second.options.resourceVersion, '12');
    assert.equal(second.options.resourceVersionMatch, 'NotOlderThan');
    second.push({ type: 'added', object: fakeObject('a', '20') }, endOfInitialEvents('21'));
    await settle();
    assert.deepEqual(
      h.events.map((e) => e.type),
      ['listed', 'modified', 'listed'],
    );
    assert.equal(h.watcher.health().relists, 1);
    assert.equal(lw.listCalls.length, 0);
  });

  it('streams the latest state when the version to resume from is gone', async () => {
    const lw = new FakeListerWatcher<KubeObject>();
    start(lw);
    const first = await lw.watchNumber(1);
    first.push({ type: 'added', object: fakeObject('a', '5') }, endOfInitialEvents('8'));
    await settle();
    first.fail(new ApiError('Expired', 'too old resource version', { code: 410 }));
    (await lw.watchNumber(2)).fail(new ApiError('Expired', 'too old resource version', { code: 410 }));
    const third = await lw.watchNumber(3);
    assert.equal(third.options.resourceVersion, undefined);
    assert.equal(third.options.sendInitialEvents, true);
  });
});
