import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './clock.ts';
import {
  defaultControllerRateLimiter,
  exponentialFailureRateLimiter,
  fastSlowRateLimiter,
  maxOf,
  tokenBucketRateLimiter,
  type RateLimiter,
} from './rate-limiters.ts';

describe('exponentialFailureRateLimiter', () => {
  it('doubles the delay on every failure of an item', () => {
    const limiter = exponentialFailureRateLimiter<string>({ baseDelayMs: 1, maxDelayMs: 1000 });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => limiter.when('a')),
      [1, 2, 4, 8, 16],
    );
    assert.equal(limiter.numRequeues('a'), 5);
  });

  it('caps the delay at the maximum', () => {
    const limiter = exponentialFailureRateLimiter<string>({ baseDelayMs: 1, maxDelayMs: 10 });
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map(() => limiter.when('a')),
      [1, 2, 4, 8, 10, 10],
    );
  });

  it('tracks items independently', () => {
    const limiter = exponentialFailureRateLimiter<string>({ baseDelayMs: 1, maxDelayMs: 1000 });
    limiter.when('a');
    limiter.when('a');
    assert.equal(limiter.when('b'), 1);
    assert.equal(limiter.numRequeues('a'), 2);
    assert.equal(limiter.numRequeues('b'), 1);
  });

  it('starts over after forget', () => {
    const limiter = exponentialFailureRateLimiter<string>({ baseDelayMs: 1, maxDelayMs: 1000 });
    limiter.when('a');
    limiter.when('a');
    limiter.forget('a');
    assert.equal(limiter.numRequeues('a'), 0);
    assert.equal(limiter.when('a'), 1);
  });

  it('defaults to 5 ms doubling up to 1000 s, without overflowing', () => {
    const limiter = exponentialFailureRateLimiter<string>();
    assert.equal(limiter.when('a'), 5);
    assert.equal(limiter.when('a'), 10);
    let last = 0;
    for (let i = 0; i < 2000; i++) last = limiter.when('a');
    assert.equal(last, 1_000_000);
  });

  it('rejects negative or non-finite delays', () => {
    assert.throws(
      () => exponentialFailureRateLimiter({ baseDelayMs: -1 }),
      /baseDelayMs must be a finite number >= 0/,
    );
    assert.throws(() => exponentialFailureRateLimiter({ maxDelayMs: Infinity }), /maxDelayMs/);
  });
});

describe('tokenBucketRateLimiter', () => {
  it('lets a burst through, then spaces retries by 1/qps', () => {
    const clock = new FakeClock();
    const limiter = tokenBucketRateLimiter<string>({ qps: 10, burst: 3, clock });
    assert.deepEqual(
      [0, 0, 0].map(() => limiter.when('x')),
      [0, 0, 0],
    );
    assert.equal(limiter.when('x'), 100);
    assert.equal(limiter.when('y'), 200, 'the bucket is shared by all items');
  });

  it('refills tokens as time passes, up to the burst', () => {
    const clock = new FakeClock();
    const limiter = tokenBucketRateLimiter<string>({ qps: 10, burst: 2, clock });
    limiter.when('a');
    limiter.when('a');
    assert.equal(limiter.when('a'), 100);
    clock.advance(300); // pays back the reservation, then refills 2 tokens (capped at burst)
    assert.equal(limiter.when('a'), 0);
    assert.equal(limiter.when('a'), 0);
    assert.equal(limiter.when('a'), 100);
    clock.advance(60_000);
    assert.deepEqual([limiter.when('a'), limiter.when('a'), limiter.when('a')], [0, 0, 100]);
  });

  it('does not track items', () => {
    const limiter = tokenBucketRateLimiter<string>({ clock: new FakeClock() });
    limiter.when('a');
    limiter.forget('a');
    assert.equal(limiter.numRequeues('a'), 0);
  });

  it('defaults to 10 qps with a burst of 100', () => {
    const limiter = tokenBucketRateLimiter<number>({ clock: new FakeClock() });
    for (let i = 0; i < 100; i++) assert.equal(limiter.when(i), 0);
    assert.equal(limiter.when(100), 100);
  });

  it('rejects a non-positive rate or burst', () => {
    assert.throws(() => tokenBucketRateLimiter({ qps: 0 }), /qps must be greater than 0/);
    assert.throws(() => tokenBucketRateLimiter({ burst: 0.5 }), /burst must be an integer >= 1/);
  });
});

describe('fastSlowRateLimiter', () => {
  it('retries quickly for the first attempts, then slowly, until forgotten', () => {
    const limiter = fastSlowRateLimiter<string>({ fastDelayMs: 5, slowDelayMs: 10_000, maxFastAttempts: 2 });
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.when('a')),
      [5, 5, 10_000, 10_000],
    );
    assert.equal(limiter.numRequeues('a'), 4);
    assert.equal(limiter.when('b'), 5);
    limiter.forget('a');
    assert.equal(limiter.when('a'), 5);
  });
});

describe('maxOf', () => {
  const fixed = (delay: number, requeues: number, forgotten: string[]): RateLimiter<string> => ({
    when: () => delay,
    forget: (item) => forgotten.push(item),
    numRequeues: () => requeues,
  });

  it('waits as long as the strictest limiter and reports the highest requeue count', () => {
    const forgotten: string[] = [];
    const limiter = maxOf(fixed(5, 1, forgotten), fixed(50, 0, forgotten), fixed(20, 7, forgotten));
    assert.equal(limiter.when('a'), 50);
    assert.equal(limiter.numRequeues('a'), 7);
  });

  it('forgets in every limiter', () => {
    const forgotten: string[] = [];
    const limiter = maxOf(fixed(1, 0, forgotten), fixed(2, 0, forgotten));
    limiter.forget('a');
    assert.deepEqual(forgotten, ['a', 'a']);
  });

  it('needs at least one limiter', () => {
    assert.throws(() => maxOf(), /at least one rate limiter/);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('backs off per item exponentially from 5 ms while the bucket has tokens', () => {
    const limiter = defaultControllerRateLimiter<string>({ clock: new FakeClock() });
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.when('a')),
      [5, 10, 20, 40],
    );
    assert.equal(limiter.numRequeues('a'), 4);
    limiter.forget('a');
    assert.equal(limiter.when('a'), 5);
  });

  it('is limited by the shared bucket once the burst of 100 is used up', () => {
    const limiter = defaultControllerRateLimiter<number>({ clock: new FakeClock() });
    for (let i = 0; i < 100; i++) assert.equal(limiter.when(i), 5);
    assert.equal(limiter.when(100), 100);
    assert.equal(limiter.when(101), 200);
  });
});
