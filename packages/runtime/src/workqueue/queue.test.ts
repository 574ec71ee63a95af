import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './clock.ts';
import type { WorkQueueMetrics } from './metrics.ts';
import { createWorkQueue, queueShutDown, type QueueShutDown, type WorkQueue } from './queue.ts';

/** Resolves once pending promise callbacks have run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function getItem<T>(queue: WorkQueue<T>): Promise<T> {
  const item = await queue.get();
  assert.notEqual(item, queueShutDown, 'expected an item, got the shutdown marker');
  return item as T;
}

describe('WorkQueue', () => {
  it('hands items out in the order they were added', async () => {
    const queue = createWorkQueue<string>();
    for (const key of ['a', 'b', 'c']) queue.add(key);
    assert.deepEqual([await getItem(queue), await getItem(queue), await getItem(queue)], ['a', 'b', 'c']);
  });

  it('deduplicates an item added again while it is still waiting', async () => {
    const queue = createWorkQueue<string>();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    assert.equal(queue.len(), 2);
    assert.equal(await getItem(queue), 'a');
    assert.equal(await getItem(queue), 'b');
    assert.equal(queue.len(), 0);
  });

  it('never hands an item to a second worker while the first still processes it', async () => {
    const queue = createWorkQueue<string>();
    queue.add('a');
    const first = await getItem(queue);
    queue.add('a');
    assert.equal(queue.len(), 0, 'the re-added item must wait for done');
    let second: string | QueueShutDown | undefined;
    void queue.get().then((item) => (second = item));
    await settle();
    assert.equal(second, undefined);
    queue.done(first);
    await settle();
    assert.equal(second, 'a');
  });

  it('re-queues an item added during processing exactly once after done', async () => {
    const queue = createWorkQueue<string>();
    queue.add('a');
    const item = await getItem(queue);
    queue.add('a');
    queue.add('a');
    queue.add('a');
    queue.done(item);
    assert.equal(queue.len(), 1);
    assert.equal(await getItem(queue), 'a');
    queue.done('a');
    assert.equal(queue.len(), 0);
  });

  it('does not re-queue an item that was not added during processing', async () => {
    const queue = createWorkQueue<string>();
    queue.add('a');
    queue.done(await getItem(queue));
    assert.equal(queue.len(), 0);
  });

  it('puts a re-queued item behind items that were already waiting (fairness)', async () => {
    const queue = createWorkQueue<string>();
    queue.add('a');
    const a = await getItem(queue);
    queue.add('b');
    queue.add('a');
    queue.add('c');
    queue.done(a);
    assert.deepEqual([await getItem(queue), await getItem(queue), await getItem(queue)], ['b', 'c', 'a']);
  });

  it('serves waiting workers first come, first served', async () => {
    const queue = createWorkQueue<string>();
    const order: string[] = [];
    const workers = [1, 2, 3].map((n) => queue.get().then((item) => order.push(`${n}:${String(item)}`)));
    queue.add('x');
    queue.add('y');
    queue.add('z');
    await Promise.all(workers);
    assert.deepEqual(order, ['1:x', '2:y', '3:z']);
  });

  it('keeps a key with one worker at a time under concurrent workers', async () => {
    const queue = createWorkQueue<number>();
    const inFlight = new Set<number>();
    let overlaps = 0;
    let processed = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const item = await queue.get();
        if (item === queueShutDown) return;
        if (inFlight.has(item)) overlaps++;
        inFlight.add(item);
        await settle();
        if (processed < 200) queue.add(item); // re-add while processing
        processed++;
        inFlight.delete(item);
        queue.done(item);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    for (let i = 0; i < 4; i++) queue.add(i);
    while (processed < 200) await settle();
    await queue.shutDownWithDrain();
    queue.shutDown();
    await Promise.all(workers);
    assert.equal(overlaps, 0);
    assert.ok(processed >= 200);
  });

  it('resolves waiting workers with the shutdown marker on shutDown', async () => {
    const queue = createWorkQueue<string>();
    const waiting = queue.get();
    queue.shutDown();
    assert.equal(await waiting, queueShutDown);
    assert.equal(await queue.get(), queueShutDown);
    assert.equal(queue.isShuttingDown(), true);
  });

  it('still hands out waiting items after shutDown, then the marker', async () => {
    const queue = createWorkQueue<string>();
    queue.add('a');
    queue.add('b');
    queue.shutDown();
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), 'b');
    assert.equal(await queue.get(), queueShutDown);
  });

  it('ignores adds after shutdown', async () => {
    const queue = createWorkQueue<string>();
    queue.shutDown();
    queue.add('a');
    assert.equal(queue.len(), 0);
    assert.equal(await queue.get(), queueShutDown);
  });

  it('shutDownWithDrain waits until in-flight items are done', async () => {
    const queue = createWorkQueue<string>();
    queue.add('a');
    queue.add('b');
    const a = await getItem(queue);
    const b = await getItem(queue);
    let drained = false;
    const drain = queue.shutDownWithDrain().then(() => (drained = true));
    queue.add('c');
    await settle();
    assert.equal(drained, false);
    queue.done(a);
    await settle();
    assert.equal(drained, false, 'b is still in flight');
    queue.done(b);
    await drain;
    assert.equal(drained, true);
    assert.equal(queue.len(), 0, 'adds during the drain are ignored');
  });

  it('shutDownWithDrain resolves at once when nothing is in flight', async () => {
    const queue = createWorkQueue<string>();
    await queue.shutDownWithDrain();
    assert.equal(queue.isShuttingDown(), true);
  });

  it('shutDownWithDrain stops waiting when its signal aborts', async () => {
    const queue = createWorkQueue<string>();
    queue.add('stuck');
    await getItem(queue);
    const controller = new AbortController();
    const drain = queue.shutDownWithDrain({ signal: controller.signal });
    controller.abort();
    await drain;
    assert.equal(queue.isShuttingDown(), true);
  });

  it('ignores done for an item that is not in flight', () => {
    const queue = createWorkQueue<string>();
    queue.done('never-added');
    assert.equal(queue.len(), 0);
  });

  it('reports adds, depth, queue and work durations, and unfinished work', async () => {
    const clock = new FakeClock();
    const seen = {
      adds: 0,
      depths: [] as number[],
      queue: [] as number[],
      work: [] as number[],
      unfinished: [] as [number, number][],
    };
    const metrics: WorkQueueMetrics = {
      add: () => seen.adds++,
      depth: (d) => seen.depths.push(d),
      queueDuration: (s) => seen.queue.push(s),
      workDuration: (s) => seen.work.push(s),
      retry: () => undefined,
      unfinishedWork: (total, longest) => seen.unfinished.push([total, longest]),
    };
    const queue = createWorkQueue<string>({ clock, metrics, unfinishedWorkUpdatePeriodMs: 1000 });
    queue.add('a');
    queue.add('a');
    queue.add('b');
    clock.advance(250);
    const a = await getItem(queue);
    clock.advance(1000);
    const b = await getItem(queue);
    clock.advance(1000);
    // Sampled at t=1000 (a in flight for 0.75 s) and t=2000 (a: 1.75 s, b: 0.75 s).
    assert.deepEqual(seen.unfinished, [
      [0.75, 0.75],
      [2.5, 1.75],
    ]);
    queue.done(a);
    queue.done(b);
    assert.equal(seen.adds, 2);
    assert.deepEqual(seen.depths, [1, 2, 1, 0]);
    assert.deepEqual(seen.queue, [0.25, 1.25]);
    assert.deepEqual(seen.work, [2, 1]);
    clock.advance(1000);
    assert.deepEqual(seen.unfinished.at(-1), [0, 0]);
    queue.shutDown();
    assert.equal(clock.pendingTimers(), 0, 'shutdown stops the sampler');
  });
});
