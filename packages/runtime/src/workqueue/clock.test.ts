import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, realClock } from './clock.ts';

describe('FakeClock', () => {
  it('fires due timers in time order, each seeing its due time', () => {
    const clock = new FakeClock(0);
    const fired: [string, number][] = [];
    clock.setTimer(() => fired.push(['b', clock.now()]), 20);
    clock.setTimer(() => fired.push(['a', clock.now()]), 10);
    clock.setTimer(() => fired.push(['a2', clock.now()]), 10);
    clock.setTimer(() => fired.push(['late', clock.now()]), 100);
    clock.advance(50);
    assert.deepEqual(fired, [
      ['a', 10],
      ['a2', 10],
      ['b', 20],
    ]);
    assert.equal(clock.now(), 50);
    assert.equal(clock.pendingTimers(), 1);
  });

  it('fires timers scheduled by callbacks when they fall due within the same advance', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.setTimer(() => {
      fired.push(clock.now());
      clock.setTimer(() => fired.push(clock.now()), 5);
    }, 10);
    clock.advance(15);
    assert.deepEqual(fired, [10, 15]);
  });

  it('does not fire cancelled timers', () => {
    const clock = new FakeClock(0);
    let fired = false;
    clock.setTimer(() => (fired = true), 10).cancel();
    clock.advance(20);
    assert.equal(fired, false);
    assert.equal(clock.nextTimerAt(), undefined);
  });

  it('refuses to go backwards', () => {
    const clock = new FakeClock(100);
    assert.throws(() => clock.advance(-1), /cannot move time backwards/);
    assert.throws(() => clock.setTime(99), /before the current time/);
  });
});

describe('realClock', () => {
  it('tracks wall time closely and fires timers', async () => {
    assert.ok(Math.abs(realClock.now() - Date.now()) < 1000);
    const started = realClock.now();
    await new Promise<void>((resolve) => realClock.setTimer(resolve, 10));
    assert.ok(realClock.now() - started >= 9);
  });
});

describe('realClock long delays', () => {
  it('does not fire a timer beyond Node’s 24.8-day limit early', async () => {
    let fired = false;
    const handle = realClock.setTimer(() => (fired = true), 2 ** 31 + 1000, { unref: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fired, false);
    handle.cancel();
  });
});
