import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './clock.ts';
import { queueShutDown } from './queue.ts';
import { exponentialFailureRateLimiter } from './rate-limiters.ts';
import { createRateLimitingQueue } from './rate-limiting-queue.ts';

describe('RateLimitingQueue', () => {
  it('retries a failing item after the delay its limiter assigns', async () => {
    const clock = new FakeClock();
    const queue = createRateLimitingQueue<string>({
      clock,
      rateLimiter: exponentialFailureRateLimiter({ baseDelayMs: 100, maxDelayMs: 10_000 }),
    });
    queue.add('a');
    assert.equal(await queue.get(), 'a');
    queue.addRateLimited('a');
    queue.done('a');
    assert.equal(queue.len(), 0);
    clock.advance(100);
    assert.equal(queue.len(), 1);
    assert.equal(await queue.get(), 'a');
    queue.addRateLimited('a');
    queue.done('a');
    clock.advance(199);
    assert.equal(queue.len(), 0, 'the second failure waits 200 ms');
    clock.advance(1);
    assert.equal(queue.len(), 1);
    assert.equal(queue.numRequeues('a'), 2);
  });

  it('resets the backoff when the item is forgotten', async () => {
    const clock = new FakeClock();
    const queue = createRateLimitingQueue<string>({
      clock,
      rateLimiter: exponentialFailureRateLimiter({ baseDelayMs: 100, maxDelayMs: 10_000 }),
    });
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    assert.equal(queue.numRequeues('a'), 2);
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
    clock.advance(100);
    assert.equal(await queue.get(), 'a');
  });

  it('uses the default controller rate limiter on its clock', async () => {
    const clock = new FakeClock();
    const queue = createRateLimitingQueue<string>({ clock });
    queue.addRateLimited('a');
    clock.advance(4);
    assert.equal(queue.len(), 0);
    clock.advance(1);
    assert.equal(await queue.get(), 'a');
  });

  it('passes shutdown through to the queues below', async () => {
    const clock = new FakeClock();
    const queue = createRateLimitingQueue<string>({ clock });
    queue.addRateLimited('a');
    queue.add('b');
    const b = await queue.get();
    const drain = queue.shutDownWithDrain();
    assert.equal(queue.isShuttingDown(), true);
    assert.equal(clock.pendingTimers(), 0);
    queue.done(b as string);
    await drain;
    assert.equal(await queue.get(), queueShutDown);
  });
});
