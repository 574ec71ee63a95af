import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './clock.ts';
import { createDelayingQueue, type DelayingQueue } from './delaying-queue.ts';
import { noopWorkQueueMetrics } from './metrics.ts';
import { createWorkQueue, queueShutDown } from './queue.ts';

/** Takes every waiting item without blocking, marking each done. */
async function drainReady<T>(queue: DelayingQueue<T>): Promise<T[]> {
  const out: T[] = [];
  while (queue.len() > 0) {
    const item = await queue.get();
    if (item === queueShutDown) break;
    out.push(item);
    queue.done(item);
  }
  return out;
}

describe('DelayingQueue', () => {
  it('adds an item only once its delay has passed', async () => {
    const clock = new FakeClock();
    const queue = createDelayingQueue<string>({ clock });
    queue.addAfter('a', 50);
    assert.equal(queue.len(), 0);
    assert.equal(queue.waitingLen(), 1);
    clock.advance(49);
    assert.equal(queue.len(), 0);
    clock.advance(1);
    assert.deepEqual(await drainReady(queue), ['a']);
    assert.equal(queue.waitingLen(), 0);
  });

  it('adds at once when the delay is zero or negative', async () => {
    const queue = createDelayingQueue<string>({ clock: new FakeClock() });
    queue.addAfter('a', 0);
    queue.addAfter('b', -5);
    assert.deepEqual(await drainReady(queue), ['a', 'b']);
  });

  it('releases items earliest-ready first, whatever the order they were added in', async () => {
    const clock = new FakeClock();
    const queue = createDelayingQueue<string>({ clock });
    queue.addAfter('late', 300);
    queue.addAfter('early', 100);
    queue.addAfter('middle', 200);
    queue.addAfter('early-too', 100);
    clock.advance(1000);
    assert.deepEqual(await drainReady(queue), ['early', 'early-too', 'middle', 'late']);
  });

  it('moves a waiting item earlier when it is re-added with a shorter delay', async () => {
    const clock = new FakeClock();
    const queue = createDelayingQueue<string>({ clock });
    queue.addAfter('a', 1000);
    queue.addAfter('b', 500);
    queue.addAfter('a', 100);
    assert.equal(queue.waitingLen(), 2, 'the item waits once');
    clock.advance(100);
    assert.deepEqual(await drainReady(queue), ['a']);
    clock.advance(900);
    assert.deepEqual(await drainReady(queue), ['b'], 'a does not come back at its original time');
  });

  it('keeps the earlier time when a waiting item is re-added with a longer delay', async () => {
    const clock = new FakeClock();
    const queue = createDelayingQueue<string>({ clock });
    queue.addAfter('a', 100);
    queue.addAfter('a', 1000);
    clock.advance(100);
    assert.deepEqual(await drainReady(queue), ['a']);
    clock.advance(1000);
    assert.equal(queue.len(), 0);
  });

  it('arms one timer for the earliest item only', () => {
    const clock = new FakeClock();
    const queue = createDelayingQueue<number>({ clock });
    for (let i = 1; i <= 100; i++) queue.addAfter(i, i * 10);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(clock.nextTimerAt(), clock.now() + 10);
    queue.addAfter(0, 5);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(clock.nextTimerAt(), clock.now() + 5);
  });

  it('keeps heap order through many random delays', async () => {
    const clock = new FakeClock();
    const queue = createDelayingQueue<number>({ clock });
    const delays = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 997) + 1);
    delays.forEach((delay, i) => queue.addAfter(i, delay));
    // Re-add every third item earlier.
    delays.forEach((delay, i) => {
      if (i % 3 === 0) queue.addAfter(i, Math.max(1, delay - 500));
    });
    const readyAt = delays.map((delay, i) =>
      i % 3 === 0 ? Math.min(delay, Math.max(1, delay - 500)) : delay,
    );
    const released: number[] = [];
    for (let t = 1; t <= 1000; t++) {
      clock.advance(1);
      released.push(...(await drainReady(queue)));
    }
    const times = released.map((i) => readyAt[i]!);
    assert.equal(released.length, 500);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('deduplicates with the underlying queue when a delayed item is already waiting', async () => {
    const clock = new FakeClock();
    const queue = createDelayingQueue<string>({ clock });
    queue.add('a');
    queue.addAfter('a', 10);
    clock.advance(10);
    assert.deepEqual(await drainReady(queue), ['a']);
  });

  it('drops waiting items and their timer on shutdown', async () => {
    const clock = new FakeClock();
    const queue = createDelayingQueue<string>({ clock });
    queue.addAfter('a', 10);
    queue.shutDown();
    assert.equal(clock.pendingTimers(), 0);
    queue.addAfter('b', 0);
    clock.advance(100);
    assert.equal(await queue.get(), queueShutDown);
  });

  it('counts every addAfter as a retry', () => {
    let retries = 0;
    const queue = createDelayingQueue<string>({
      clock: new FakeClock(),
      metrics: { ...noopWorkQueueMetrics, retry: () => retries++ },
    });
    queue.addAfter('a', 0);
    queue.addAfter('b', 10);
    assert.equal(retries, 2);
  });

  it('adds to a queue it is given', async () => {
    const clock = new FakeClock();
    const inner = createWorkQueue<string>({ clock });
    const queue = createDelayingQueue<string>({ clock, queue: inner });
    queue.addAfter('a', 5);
    clock.advance(5);
    assert.equal(inner.len(), 1);
    assert.equal(await inner.get(), 'a');
  });

  it('works on the real clock', async () => {
    const queue = createDelayingQueue<string>();
    const started = performance.now();
    queue.addAfter('a', 20);
    assert.equal(await queue.get(), 'a');
    assert.ok(performance.now() - started >= 19);
    queue.shutDown();
  });
});
