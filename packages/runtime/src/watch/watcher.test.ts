import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiError, NetworkError } from '../client/errors.ts';
import type { KubeObject } from '../api/index.ts';
import { FakeClock } from '../workqueue/clock.ts';
import { noopLogger } from '../log/logger.ts';
import { FakeListerWatcher, fakeObject, listOf, settle } from './testing/fake-lister-watcher.ts';
import type { WatcherEvent, WatcherOptions } from './types.ts';
import { createWatcher } from './watcher.ts';

interface Harness {
  readonly lw: FakeListerWatcher<KubeObject>;
  readonly clock: FakeClock;
  readonly events: WatcherEvent<KubeObject>[];
  readonly watcher: ReturnType<typeof createWatcher<KubeObject>>;
  readonly done: Promise<void>;
}

const stops: AbortController[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) s.abort();
  await settle();
});

function start(lw: FakeListerWatcher<KubeObject>, options: WatcherOptions = {}): Harness {
  const clock = new FakeClock();
  const stop = new AbortController();
  stops.push(stop);
  const watcher = createWatcher(lw, {
    clock,
    logger: noopLogger,
    random: () => 0,
    signal: stop.signal,
    ...options,
  });
  const events: WatcherEvent<KubeObject>[] = [];
  const done = (async () => {
    for await (const event of watcher) events.push(event);
  })();
  return { lw, clock, events, watcher, done };
}

const gone = () => new ApiError('Expired', 'too old resource version: 5 (10)', { code: 410 });
const refused = () =>
  new NetworkError('ConnectionRefused', 'connect ECONNREFUSED', { errorCode: 'ECONNREFUSED' });

describe('watcher: listing', () => {
  it('lists from the watch cache with a page limit, then watches from the list resourceVersion', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() =>
      listOf('100', [fakeObject('a', '7'), fakeObject('b', '99')]),
    );
    const h = start(lw);
    const watch = await lw.watchNumber(1);
    const list = lw.listCalls[0]!;
    assert.equal(list.resourceVersion, '0');
    assert.equal(list.limit, 500);
    assert.equal(watch.options.resourceVersion, '100', 'resumes from the list, never from an item');
    assert.equal(watch.options.allowWatchBookmarks, true);
    assert.equal(watch.options.timeoutSeconds, 300);
    await settle();
    assert.deepEqual(
      h.events.map((e) => e.type),
      ['listed'],
    );
    assert.equal(h.events[0]?.type === 'listed' && h.events[0].objects.length, 2);
    assert.equal(h.watcher.health().state, 'connecting', 'requested, the server has not answered');
    watch.activity();
    assert.equal(h.watcher.health().state, 'watching');
    assert.equal(h.watcher.health().healthy, true);
  });

  it('randomizes the server-side watch timeout between 300 and 600 seconds', async () => {
    const lw = new FakeListerWatcher<KubeObject>();
    start(lw, { random: () => 0.999 });
    const watch = await lw.watchNumber(1);
    assert.equal(watch.options.timeoutSeconds, 600);
  });

  it('follows continue tokens and yields one snapshot holding every page', async () => {
    const lw = new FakeListerWatcher<KubeObject>((o) => {
      if (o.continue === undefined) return listOf('50', [fakeObject('a', '1')], 'page2');
      if (o.continue === 'page2') return listOf('50', [fakeObject('b', '2')], 'page3');
      return listOf('50', [fakeObject('c', '3')]);
    });
    const h = start(lw, { pageSize: 1 });
    const watch = await lw.watchNumber(1);
    assert.deepEqual(
      lw.listCalls.map((c) => [c.resourceVersion, c.continue, c.limit]),
      [
        ['0', undefined, 1],
        [undefined, 'page2', 1],
        [undefined, 'page3', 1],
      ],
    );
    await settle();
    const listed = h.events[0];
    assert.ok(listed?.type === 'listed');
    assert.deepEqual(
      listed.objects.map((o) => o.metadata.name),
      ['a', 'b', 'c'],
    );
    assert.equal(watch.options.resourceVersion, '50');
  });

  it('relists consistently from the first page when a continue token expires', async () => {
    let expired = false;
    const lw = new FakeListerWatcher<KubeObject>((o) => {
      if (o.continue === 'stale' && !expired) {
        expired = true;
        throw gone();
      }
      if (o.continue === undefined && o.resourceVersion === '0')
        return listOf('10', [fakeObject('a', '1')], 'stale');
      if (o.continue === undefined) return listOf('20', [fakeObject('a', '1')], 'fresh');
      return listOf('20', [fakeObject('b', '2')]);
    });
    const h = start(lw);
    const watch = await lw.watchNumber(1);
    await settle();
    assert.equal(lw.listCalls[2]?.resourceVersion, undefined, 'the fallback list is consistent');
    assert.equal(lw.listCalls[2]?.resourceVersionMatch, undefined);
    const listed = h.events.filter((e) => e.type === 'listed');
    assert.equal(listed.length, 1, 'the partial list is never yielded');
    assert.deepEqual(listed[0]?.type === 'listed' && listed[0].objects.map((o) => o.metadata.name), [
      'a',
      'b',
    ]);
    assert.equal(watch.options.resourceVersion, '20');
    assert.equal(h.watcher.health().relists, 1);
  });

  it('restarts a consistent paged list from its first page, after a backoff, when its token expires', async () => {
    let expiredOnce = false;
    const lw = new FakeListerWatcher<KubeObject>((o) => {
      if (o.resourceVersion === '0') throw gone();
      if (o.continue === 'p2' && !expiredOnce) {
        expiredOnce = true;
        throw gone();
      }
      if (o.continue === undefined) return listOf('30', [fakeObject('a', '1')], 'p2');
      return listOf('30', [fakeObject('b', '2')]);
    });
    const h = start(lw);
    await lw.listCallNumber(3);
    await settle();
    assert.equal(h.watcher.health().state, 'backoff', 'no tight relist loop');
    h.clock.advance(800);
    await lw.watchNumber(1);
    assert.deepEqual(
      lw.listCalls.map((c) => [c.resourceVersion, c.continue]),
      [
        ['0', undefined],
        [undefined, undefined],
        [undefined, 'p2'],
        [undefined, undefined],
        [undefined, 'p2'],
      ],
    );
    await settle();
    const listed = h.events.find((e) => e.type === 'listed');
    assert.deepEqual(
      listed?.type === 'listed' && listed.objects.map((o) => o.metadata.name),
      ['a', 'b'],
      'pages of the abandoned attempt are not kept',
    );
  });

  it('retries a failing list with backoff and never throws', async () => {
    let calls = 0;
    const lw = new FakeListerWatcher<KubeObject>(() => {
      calls++;
      if (calls <= 3) throw refused();
      return listOf('5', []);
    });
    const h = start(lw);
    await lw.listCallNumber(1);
    await settle();
    assert.equal(h.watcher.health().state, 'backoff');
    assert.equal(h.watcher.health().lastError?.reason, 'ConnectionRefused');
    assert.equal(h.watcher.health().healthy, false);
    h.clock.advance(799);
    await settle();
    assert.equal(lw.listCalls.length, 1, 'waits the initial 800 ms');
    h.clock.advance(1);
    await settle();
    assert.equal(lw.listCalls.length, 2);
    h.clock.advance(1600);
    await settle();
    assert.equal(lw.listCalls.length, 3);
    h.clock.advance(3200);
    await lw.watchNumber(1);
    assert.equal(h.watcher.health().failures, 3);
    assert.equal(h.watcher.health().healthy, true);
  });

  it('treats a list without a resourceVersion as a failure and retries consistently', async () => {
    let calls = 0;
    const lw = new FakeListerWatcher<KubeObject>(() =>
      ++calls === 1 ? { metadata: {}, items: [] } : listOf('9', []),
    );
    const h = start(lw);
    await lw.listCallNumber(1);
    await settle();
    assert.equal(h.watcher.health().lastError?.reason, 'MissingResourceVersion');
    h.clock.advance(800);
    assert.equal((await lw.watchNumber(1)).options.resourceVersion, '9');
    assert.equal(lw.listCalls[1]?.resourceVersion, undefined);
  });

  it('abandons a list that does not complete within the list timeout', async () => {
    let calls = 0;
    const lw = new FakeListerWatcher<KubeObject>(() => {
      calls++;
      return calls === 1 ? new Promise(() => undefined) : listOf('3', []);
    });
    const h = start(lw, { listTimeoutMs: 10_000 });
    await lw.listCallNumber(1);
    h.clock.advance(10_000);
    await settle();
    assert.equal(h.watcher.health().lastError?.reason, 'ListTimeout');
    assert.equal(lw.listCalls[0]?.signal?.aborted, true, 'the request is aborted');
    h.clock.advance(800);
    await lw.watchNumber(1);
  });
});

describe('watcher: watching', () => {
  it('yields changes and bookmarks, and resumes from the last one after the stream ends', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    const first = await lw.watchNumber(1);
    first.push(
      { type: 'added', object: fakeObject('a', '11') },
      { type: 'modified', object: fakeObject('a', '12') },
      { type: 'bookmark', resourceVersion: '15' },
    );
    await settle();
    h.clock.advance(5000);
    first.end();
    const second = await lw.watchNumber(2);
    assert.equal(second.options.resourceVersion, '15');
    second.push({ type: 'deleted', object: fakeObject('a', '16') });
    await settle();
    h.clock.advance(5000);
    second.end();
    const third = await lw.watchNumber(3);
    assert.equal(third.options.resourceVersion, '16');
    assert.deepEqual(
      h.events.map((e) => e.type),
      ['listed', 'added', 'modified', 'bookmark', 'deleted'],
    );
    assert.equal(lw.listCalls.length, 1, 'a normal end reconnects without relisting');
    assert.equal(h.watcher.health().reconnects, 2);
    assert.equal(h.watcher.health().failures, 0);
  });

  it('backs off when a watch ends at once without delivering anything', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    (await lw.watchNumber(1)).end();
    await settle();
    assert.equal(h.watcher.health().state, 'backoff');
    assert.equal(h.watcher.health().lastError?.reason, 'ShortWatch');
    h.clock.advance(800);
    assert.equal((await lw.watchNumber(2)).options.resourceVersion, '10');
  });

  it('reconnects from the last resourceVersion with backoff after a dropped connection', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    const first = await lw.watchNumber(1);
    first.push({ type: 'added', object: fakeObject('a', '11') });
    first.fail(new NetworkError('ConnectionReset', 'socket hang up', { errorCode: 'ECONNRESET' }));
    await settle();
    assert.equal(h.watcher.health().state, 'backoff');
    h.clock.advance(800);
    const second = await lw.watchNumber(2);
    assert.equal(second.options.resourceVersion, '11');
    second.fail(refused());
    await settle();
    h.clock.advance(999);
    await settle();
    assert.equal(lw.watches.length, 2, 'the second delay doubles, capped at 1 s while unreachable');
    h.clock.advance(1);
    await lw.watchNumber(3);
    assert.equal(lw.listCalls.length, 1);
  });

  it('backs off to 30 s from a server that answers with failures, and resets once a watch delivers', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    const delays: number[] = [];
    for (let n = 1; n <= 8; n++) {
      const w = await lw.watchNumber(n);
      w.fail(new ApiError('InternalError', 'etcd is down', { code: 500 }));
      await settle();
      const before = h.clock.now();
      const due = h.clock.nextTimerAt();
      assert.ok(due !== undefined);
      delays.push(due - before);
      h.clock.setTime(due);
    }
    assert.deepEqual(delays, [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
    const healthy = await lw.watchNumber(9);
    healthy.push({ type: 'bookmark', resourceVersion: '20' });
    await settle();
    healthy.fail(new ApiError('InternalError', 'etcd is down', { code: 500 }));
    await settle();
    const due = h.clock.nextTimerAt();
    assert.equal(due === undefined ? undefined : due - h.clock.now(), 800);
  });

  it('reconnects within 1 s of each attempt while the server is unreachable, outage after outage', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    let n = 1;
    for (let outage = 0; outage < 3; outage++) {
      const delays: number[] = [];
      for (let attempt = 0; attempt < 6; attempt++) {
        (await lw.watchNumber(n++)).fail(refused());
        await settle();
        const due = h.clock.nextTimerAt();
        assert.ok(due !== undefined);
        delays.push(due - h.clock.now());
        h.clock.setTime(due);
      }
      // After the first outage, its first failure was the one checked below (800 ms).
      const expected =
        outage === 0 ? [800, 1000, 1000, 1000, 1000, 1000] : [1000, 1000, 1000, 1000, 1000, 1000];
      assert.deepEqual(delays, expected, `outage ${outage + 1}`);
      const back = await lw.watchNumber(n++);
      back.push({ type: 'bookmark', resourceVersion: String(20 + outage) });
      await settle();
      back.fail(refused());
      await settle();
      const due = h.clock.nextTimerAt();
      assert.equal(
        due === undefined ? undefined : due - h.clock.now(),
        800,
        'the server was back: start over',
      );
      h.clock.setTime(due ?? 0);
    }
  });

  it('applies jitter so that delays fall in [0.5 d, d]', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw, { random: () => 0.5 });
    (await lw.watchNumber(1)).fail(refused());
    await settle();
    assert.equal((h.clock.nextTimerAt() ?? 0) - h.clock.now(), 600);
  });

  it('honours Retry-After on 429', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    (await lw.watchNumber(1)).fail(
      new ApiError('TooManyRequests', 'slow down', { code: 429, retryAfterSeconds: 7 }),
    );
    await settle();
    h.clock.advance(6999);
    await settle();
    assert.equal(lw.watches.length, 1);
    h.clock.advance(1);
    await lw.watchNumber(2);
    assert.equal(h.watcher.health().lastError?.reason, 'TooManyRequests');
  });

  it('relists not older than the last resourceVersion when the watch is refused with 410', async () => {
    const lw = new FakeListerWatcher<KubeObject>((o) =>
      listOf(o.resourceVersion === '0' ? '10' : '30', [fakeObject('b', '25')]),
    );
    const h = start(lw);
    const first = await lw.watchNumber(1);
    first.push({ type: 'added', object: fakeObject('a', '12') });
    first.fail(gone());
    const second = await lw.watchNumber(2);
    const relist = lw.listCalls[1]!;
    assert.equal(relist.resourceVersion, '12');
    assert.equal(relist.resourceVersionMatch, 'NotOlderThan');
    assert.equal(relist.limit, undefined, 'served from the watch cache, unpaged');
    assert.equal(second.options.resourceVersion, '30');
    await settle();
    assert.deepEqual(
      h.events.map((e) => e.type),
      ['listed', 'added', 'listed'],
    );
    assert.equal(h.watcher.health().relists, 1);
    assert.equal(h.clock.pendingTimers() <= 1, true, 'no backoff before relisting');
  });

  it('relists on an in-stream ERROR event with code 410', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    start(lw);
    const first = await lw.watchNumber(1);
    first.push({
      type: 'error',
      status: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' },
    });
    await lw.watchNumber(2);
    assert.equal(lw.listCalls[1]?.resourceVersionMatch, 'NotOlderThan');
    assert.equal(lw.listCalls[1].resourceVersion, '10');
  });

  it('falls back to a consistent list when the not-older-than list is also gone', async () => {
    const lw = new FakeListerWatcher<KubeObject>((o) => {
      if (o.resourceVersionMatch === 'NotOlderThan') throw gone();
      return listOf(o.resourceVersion === '0' ? '10' : '40', []);
    });
    const h = start(lw);
    (await lw.watchNumber(1)).fail(gone());
    const second = await lw.watchNumber(2);
    assert.deepEqual(
      lw.listCalls.map((c) => [c.resourceVersion, c.resourceVersionMatch]),
      [
        ['0', undefined],
        ['10', 'NotOlderThan'],
        [undefined, undefined],
      ],
    );
    assert.equal(second.options.resourceVersion, '40');
    assert.equal(h.watcher.health().relists, 2);
  });

  it('lists consistently when the server has not yet seen the resourceVersion (too large)', async () => {
    const tooLarge = () =>
      new ApiError('Timeout', 'Too large resource version', {
        code: 504,
        status: {
          code: 504,
          reason: 'Timeout',
          details: { causes: [{ reason: 'ResourceVersionTooLarge' }] },
        },
      });
    const lw = new FakeListerWatcher<KubeObject>((o) => {
      if (o.resourceVersionMatch === 'NotOlderThan') throw tooLarge();
      return listOf(o.resourceVersion === '0' ? '10' : '40', []);
    });
    start(lw);
    (await lw.watchNumber(1)).fail(gone());
    await lw.watchNumber(2);
    assert.equal(lw.listCalls[2]?.resourceVersion, undefined);
  });

  it('backs off instead of looping when even a consistent list is refused with 410', async () => {
    let calls = 0;
    const lw = new FakeListerWatcher<KubeObject>((o) => {
      calls++;
      if (o.resourceVersion === '0' || calls > 3) return listOf('10', []);
      throw gone();
    });
    const h = start(lw);
    const first = await lw.watchNumber(1);
    first.fail(gone());
    await settle();
    assert.equal(calls, 3, 'NotOlderThan, then consistent, then waiting');
    assert.equal(h.watcher.health().state, 'backoff');
    h.clock.advance(800);
    await lw.watchNumber(2);
    assert.equal(lw.listCalls[3]?.resourceVersion, undefined, 'retries the consistent list');
  });

  it('reports the resourceVersion it would resume from', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    const watch = await lw.watchNumber(1);
    assert.equal(h.watcher.health().resourceVersion, '10');
    watch.push({ type: 'bookmark', resourceVersion: '33' });
    await settle();
    assert.equal(h.watcher.health().resourceVersion, '33');
    assert.ok(h.watcher.health().lastEventAt !== undefined);
  });

  it('backs off and re-watches on other in-stream errors', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    (await lw.watchNumber(1)).push({
      type: 'error',
      status: { code: 500, reason: 'InternalError', message: 'boom' },
    });
    await settle();
    assert.equal(h.watcher.health().state, 'backoff');
    h.clock.advance(800);
    assert.equal((await lw.watchNumber(2)).options.resourceVersion, '10');
    assert.equal(lw.listCalls.length, 1);
  });
});

describe('watcher: stall detection', () => {
  it('reconnects a watch that delivers nothing within the idle timeout', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw, { idleTimeoutMs: 60_000 });
    const first = await lw.watchNumber(1);
    first.push({ type: 'bookmark', resourceVersion: '11' });
    await settle();
    h.clock.advance(59_999);
    await settle();
    assert.equal(lw.watches.length, 1);
    h.clock.advance(1);
    const second = await lw.watchNumber(2);
    assert.equal(first.closed, true, 'the stalled connection is aborted');
    assert.equal(second.options.resourceVersion, '11');
    const health = h.watcher.health();
    assert.equal(health.stalls, 1);
    assert.equal(health.lastError?.operation, 'stall');
  });

  it('counts bytes reported through onActivity as liveness', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw, { idleTimeoutMs: 60_000 });
    const first = await lw.watchNumber(1);
    for (let i = 0; i < 5; i++) {
      h.clock.advance(50_000);
      first.activity();
    }
    await settle();
    assert.equal(lw.watches.length, 1);
    assert.equal(h.watcher.health().stalls, 0);
    h.clock.advance(60_000);
    await lw.watchNumber(2);
  });

  it('recovers from a stream that ignores its abort signal', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    lw.watch = () => ({
      [Symbol.asyncIterator]: () => ({ next: () => new Promise<never>(() => undefined) }),
    });
    const h = start(lw, { idleTimeoutMs: 1000 });
    await settle();
    h.clock.advance(1000);
    await settle();
    assert.equal(h.watcher.health().stalls, 1);
    h.clock.advance(1000);
    await settle();
    assert.equal(h.watcher.health().stalls, 2);
  });
});

describe('watcher: stopping', () => {
  it('ends the iteration when the signal aborts, closing the watch', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', []));
    const h = start(lw);
    const watch = await lw.watchNumber(1);
    stops[0]!.abort();
    await h.done;
    assert.equal(watch.closed, true);
    assert.equal(h.watcher.health().state, 'stopped');
  });

  it('closes the watch when the consumer stops iterating, and ends there', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => listOf('10', [fakeObject('a', '1')]));
    const watcher = createWatcher(lw, { clock: new FakeClock(), logger: noopLogger, random: () => 0 });
    const seen: string[] = [];
    const consuming = (async () => {
      for await (const event of watcher) {
        seen.push(event.type);
        if (event.type === 'added') break;
      }
    })();
    const watch = await lw.watchNumber(1);
    watch.push({ type: 'added', object: fakeObject('b', '11') });
    await consuming;
    assert.deepEqual(seen, ['listed', 'added']);
    assert.equal(watch.closed, true);
    assert.equal(watcher.health().state, 'stopped');
    assert.throws(() => watcher[Symbol.asyncIterator](), /iterated only once/);
  });

  it('stops during a backoff without waiting it out', async () => {
    const lw = new FakeListerWatcher<KubeObject>(() => {
      throw refused();
    });
    const h = start(lw);
    await lw.listCallNumber(1);
    await settle();
    stops[0]!.abort();
    await h.done;
    assert.equal(h.watcher.health().state, 'stopped');
  });
});
