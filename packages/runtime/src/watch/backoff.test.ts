import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../workqueue/clock.ts';
import { createBackoff } from './backoff.ts';

describe('watch backoff', () => {
  it('doubles from 800 ms to a 30 s cap by default', () => {
    const backoff = createBackoff({}, new FakeClock(), () => 0);
    const delays = Array.from({ length: 8 }, () => backoff.next());
    assert.deepEqual(delays, [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
    assert.equal(backoff.attempts, 8);
  });

  it('starts over after two minutes without a failure, or on reset()', () => {
    const clock = new FakeClock();
    const backoff = createBackoff({}, clock, () => 0);
    backoff.next();
    backoff.next();
    clock.advance(119_999);
    assert.equal(backoff.next(), 3200, 'still within the reset window');
    clock.advance(120_000);
    assert.equal(backoff.next(), 800);
    backoff.next();
    backoff.reset();
    assert.equal(backoff.next(), 800);
  });

  it('caps delays at 1 s while the server cannot be reached, so a restarted server is seen at once', () => {
    const backoff = createBackoff({}, new FakeClock(), () => 0);
    const delays = Array.from({ length: 5 }, () => backoff.next('unreachable'));
    assert.deepEqual(delays, [800, 1000, 1000, 1000, 1000]);
  });

  it('starts the count again when the regime changes, and after reset() (the server is back)', () => {
    const backoff = createBackoff({}, new FakeClock(), () => 0);
    backoff.next('unreachable');
    backoff.next('unreachable');
    assert.equal(backoff.next('answered'), 800, 'first answered failure after an outage');
    assert.equal(backoff.next('answered'), 1600);
    backoff.reset();
    assert.equal(backoff.attempts, 0);
    assert.equal(backoff.next('answered'), 800, 'the next outage does not inherit the last one');
  });

  it('keeps jittered delays within [d * (1 - jitter), d]', () => {
    const low = createBackoff({ jitter: 0.5 }, new FakeClock(), () => 0.999999);
    const high = createBackoff({ jitter: 0.5 }, new FakeClock(), () => 0);
    assert.equal(low.next(), 400);
    assert.equal(high.next(), 800);
  });

  it('rejects nonsensical options', () => {
    assert.throws(() => createBackoff({ initialMs: 0 }, new FakeClock(), Math.random), RangeError);
    assert.throws(
      () => createBackoff({ initialMs: 100, maxMs: 50 }, new FakeClock(), Math.random),
      RangeError,
    );
    assert.throws(() => createBackoff({ jitter: 2 }, new FakeClock(), Math.random), /0 <= jitter <= 1/);
    assert.throws(
      () => createBackoff({ maxMs: 5000, unreachableMaxMs: 6000 }, new FakeClock(), Math.random),
      /unreachableMaxMs <= maxMs/,
    );
  });
});
