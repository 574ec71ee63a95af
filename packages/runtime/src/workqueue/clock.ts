/**
 * Time as a dependency. Queues, rate limiters and leader election read time and schedule
 * callbacks only through a {@link Clock}, so tests drive them with a {@link FakeClock}
 * instead of sleeping.
 */

/** A scheduled callback; cancelling one that already fired is a no-op. */
export interface TimerHandle {
  cancel(): void;
}

export interface TimerOptions {
  /**
   * When `true`, a pending timer does not keep the Node.js process alive (for housekeeping
   * such as metric sampling). Ignored by fake clocks.
   */
  readonly unref?: boolean;
}

export interface Clock {
  /**
   * Milliseconds since the Unix epoch, never going backwards. Use differences for durations;
   * the absolute value may drift slightly from the wall clock.
   */
  now(): number;
  /** Calls `callback` once, after at least `delayMs` milliseconds. */
  setTimer(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle;
}

/** Node's timers overflow past 2^31 - 1 ms (about 24.8 days) and would fire at once. */
const maxTimerDelayMs = 2 ** 31 - 1;

/**
 * The process clock: monotonic (`performance.now()`) anchored at the process's start time,
 * so durations are immune to wall-clock steps. Delays longer than Node's timer limit are
 * split into several timers.
 */
export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimer(callback, delayMs, options) {
    let timer: NodeJS.Timeout;
    const arm = (remaining: number): void => {
      const step = Math.min(Math.max(0, remaining), maxTimerDelayMs);
      timer = setTimeout(step < remaining ? () => arm(remaining - step) : callback, step);
      if (options?.unref === true) timer.unref();
    };
    arm(delayMs);
    return { cancel: () => clearTimeout(timer) };
  },
};

interface FakeTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A manually advanced clock for tests. Time stands still until {@link FakeClock.advance}
 * (or {@link FakeClock.setTime}) moves it; due timers then fire synchronously, in order of
 * their due time (ties in scheduling order), each seeing `now()` equal to its due time.
 * Timers scheduled by those callbacks fire in the same call if they fall due within it.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];

  constructor(start = Date.UTC(2024, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: FakeTimer = {
      at: this.#now + Math.max(0, delayMs),
      seq: this.#seq++,
      callback,
      cancelled: false,
    };
    this.#timers.push(timer);
    return {
      // Forget a cancelled timer at once, like a real clock: its callback may hold a lot.
      cancel: () => {
        timer.cancelled = true;
        const at = this.#timers.indexOf(timer);
        if (at >= 0) this.#timers.splice(at, 1);
      },
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`FakeClock.advance: cannot move time backwards (${ms} ms)`);
    this.setTime(this.#now + ms);
  }

  /** Moves time to `time` (not backwards), firing every timer that falls due. */
  setTime(time: number): void {
    if (time < this.#now) {
      throw new RangeError(`FakeClock.setTime: ${time} is before the current time ${this.#now}`);
    }
    for (;;) {
      const next = this.#nextDue(time);
      if (next === undefined) break;
      this.#now = Math.max(this.#now, next.at);
      next.cancelled = true;
      next.callback();
    }
    this.#now = time;
    this.#timers = this.#timers.filter((t) => !t.cancelled);
  }

  /** Number of timers scheduled and not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Due time of the earliest pending timer, or `undefined` when none is pending. */
  nextTimerAt(): number | undefined {
    return this.#nextDue(Infinity)?.at;
  }

  #nextDue(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers) {
      if (t.cancelled || t.at > limit) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
