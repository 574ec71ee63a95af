/**
 * The elector's timing rules, driven by a fake clock over an in-memory lock (the Lease lock
 * itself is tested against a real API server in lease-election.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../workqueue/clock.ts';
import {
  LeaderElectionConfigError,
  LeaderElectionUsageError,
  validateLeaderElectionTiming,
} from './config.ts';
import {
  createLeaderElector,
  LeaderElectionLostError,
  LeaderElectionStoppedError,
  type LeaderElectionResult,
  type LeaderElectorOptions,
} from './leader-elector.ts';
import type { LeaderElectionRecord, LockSnapshot, ResourceLock } from './lease-lock.ts';

/** An in-memory lock with optimistic concurrency that can be made unreachable. */
class MemoryLock implements ResourceLock {
  stored: LockSnapshot | undefined;
  reachable = true;
  /** The next update is stored but answered with an error, as when a response is lost. */
  loseNextUpdateAnswer = false;
  #version = 0;

  describe(): string {
    return 'test/lock';
  }
  /** The stored record (a call, so assertions on it do not narrow later reads). */
  record(): LeaderElectionRecord | undefined {
    return this.stored?.record;
  }
  get(): Promise<LockSnapshot | undefined> {
    return this.#call(() => this.stored);
  }
  create(record: LeaderElectionRecord): Promise<LockSnapshot> {
    return this.#call(() => {
      if (this.stored !== undefined) throw new Error('AlreadyExists');
      return this.write(record);
    });
  }
  update(record: LeaderElectionRecord, version: string): Promise<LockSnapshot> {
    return this.#call(() => {
      if (this.stored?.version !== version) throw new Error('Conflict');
      const written = this.write(record);
      if (this.loseNextUpdateAnswer) {
        this.loseNextUpdateAnswer = false;
        throw new Error('connection reset');
      }
      return written;
    });
  }
  /** Writes directly, as another party would. */
  write(record: LeaderElectionRecord): LockSnapshot {
    this.stored = { record, version: String(++this.#version) };
    return this.stored;
  }
  #call<T>(op: () => T): Promise<T> {
    if (!this.reachable) return Promise.reject(new Error('connection refused'));
    try {
      return Promise.resolve(op());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/** A MemoryLock that reports every write to its observers, as the Lease watch does. */
class ObservedMemoryLock extends MemoryLock {
  readonly #observers = new Set<(snapshot: LockSnapshot | undefined) => void>();
  observe(onChange: (snapshot: LockSnapshot | undefined) => void, signal: AbortSignal): void {
    this.#observers.add(onChange);
    signal.addEventListener('abort', () => this.#observers.delete(onChange), { once: true });
  }
  override write(record: LeaderElectionRecord): LockSnapshot {
    const written = super.write(record);
    for (const observer of this.#observers) observer(written);
    return written;
  }
}

const ghost = (holderIdentity: string, at: number): LeaderElectionRecord => ({
  holderIdentity,
  leaseDurationSeconds: 15,
  acquireTime: at,
  renewTime: at,
  leaderTransitions: 0,
});

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Advances the clock in steps, letting the electors' promise chains run between steps. */
async function tick(clock: FakeClock, ms: number, stepMs = 50): Promise<void> {
  await settle();
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(Math.min(stepMs, ms - t));
    await settle();
  }
}

interface Candidate {
  readonly events: string[];
  readonly leadingSignals: AbortSignal[];
  result: LeaderElectionResult | undefined;
  stop(): void;
  readonly elector: ReturnType<typeof createLeaderElector>;
}

function candidate(
  identity: string,
  lock: ResourceLock,
  clock: FakeClock,
  extra: Partial<LeaderElectorOptions> = {},
): Candidate {
  const stop = new AbortController();
  const events: string[] = [];
  const leadingSignals: AbortSignal[] = [];
  const elector = createLeaderElector({
    lock,
    identity,
    clock,
    random: () => 0,
    callbacks: {
      onStartedLeading: (signal) => {
        events.push(`started@${clock.now()}`);
        leadingSignals.push(signal);
      },
      onStoppedLeading: () => events.push(`stopped@${clock.now()}`),
      onNewLeader: (leader) => events.push(`leader:${leader}`),
    },
    ...extra,
  });
  const c: Candidate = { events, leadingSignals, result: undefined, stop: () => stop.abort(), elector };
  void elector.run(stop.signal).then((r) => (c.result = r));
  return c;
}

describe('validateLeaderElectionTiming', () => {
  it('accepts the defaults: lease 15 s, renew deadline 10 s, retry 2 s', () => {
    assert.deepEqual(validateLeaderElectionTiming({}), {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
  });

  it('requires the lease to outlast the renew deadline', () => {
    assert.throws(
      () => validateLeaderElectionTiming({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
      /leaseDurationMs \(10000\) must be greater than renewDeadlineMs \(10000\)/,
    );
  });

  it('requires the renew deadline to exceed 1.2 x the retry period', () => {
    assert.throws(
      () => validateLeaderElectionTiming({ renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }),
      /renewDeadlineMs \(2400\) must be greater than 1.2 x retryPeriodMs \(2400\)/,
    );
    assert.doesNotThrow(() => validateLeaderElectionTiming({ renewDeadlineMs: 2_401, retryPeriodMs: 2_000 }));
  });

  it('requires positive durations and a whole-second lease', () => {
    assert.throws(
      () => validateLeaderElectionTiming({ retryPeriodMs: 0 }),
      /retryPeriodMs must be a positive number/,
    );
    assert.throws(
      () => validateLeaderElectionTiming({ leaseDurationMs: 15_500 }),
      /whole number of seconds.*use e.g. 16000/,
    );
  });

  it('lists every problem at once, with the reason InvalidConfig', () => {
    try {
      validateLeaderElectionTiming(
        { leaseDurationMs: 5_000, renewDeadlineMs: 6_000, retryPeriodMs: 5_000 },
        ' ',
      );
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof LeaderElectionConfigError);
      assert.equal(err.reason, 'InvalidConfig');
      assert.equal(err.problems.length, 3);
      assert.match(err.message, /identity must not be empty/);
    }
  });

  it('is applied by createLeaderElector', () => {
    assert.throws(
      () =>
        createLeaderElector({
          lock: new MemoryLock(),
          leaseDurationMs: 1_000,
          callbacks: { onStartedLeading: () => undefined },
        }),
      LeaderElectionConfigError,
    );
  });
});

describe('LeaderElector', () => {
  it('creates a missing lock and leads, recording holder, duration and times', async () => {
    const clock = new FakeClock(1_000_000);
    const lock = new MemoryLock();
    const a = candidate('a', lock, clock);
    await settle();
    assert.deepEqual(a.events, ['leader:a', 'started@1000000']);
    assert.deepEqual(lock.stored?.record, {
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      acquireTime: 1_000_000,
      renewTime: 1_000_000,
      leaderTransitions: 0,
    });
    assert.equal(a.elector.isLeader(), true);
    a.stop();
    await tick(clock, 10);
  });

  it('renews every retry period, keeping the acquire time', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    const a = candidate('a', lock, clock);
    await tick(clock, 4_000);
    const record = lock.stored?.record;
    assert.equal(record?.acquireTime, 0);
    assert.equal(record.renewTime, 4_000);
    a.stop();
    await tick(clock, 10);
  });

  it('lets exactly one of two candidates lead', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    const a = candidate('a', lock, clock);
    const b = candidate('b', lock, clock);
    await tick(clock, 30_000);
    assert.equal(a.elector.isLeader(), true);
    assert.equal(b.elector.isLeader(), false);
    assert.deepEqual(b.events, ['leader:a']);
    assert.equal(b.elector.leader(), 'a');
    a.stop();
    b.stop();
    await tick(clock, 100);
  });

  it('waits a full lease duration on its own clock, whatever time the holder wrote', async () => {
    const clock = new FakeClock(100_000);
    const lock = new MemoryLock();
    // A holder whose clock is far behind: its renewTime looks long expired.
    lock.write({
      holderIdentity: 'skewed',
      leaseDurationSeconds: 15,
      acquireTime: 0,
      renewTime: 0,
      leaderTransitions: 4,
    });
    const b = candidate('b', lock, clock);
    await tick(clock, 14_000);
    assert.equal(b.elector.isLeader(), false, 'the lease was observed 14 s ago: still valid');
    await tick(clock, 4_500);
    assert.equal(b.elector.isLeader(), true);
    assert.equal(lock.record()?.leaderTransitions, 5);
    assert.deepEqual(b.events.slice(0, 2), ['leader:skewed', 'leader:b']);
    b.stop();
    await tick(clock, 100);
  });

  it('keeps waiting while the holder keeps renewing', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    lock.write({
      holderIdentity: 'x',
      leaseDurationSeconds: 15,
      acquireTime: 0,
      renewTime: 0,
      leaderTransitions: 0,
    });
    const b = candidate('b', lock, clock);
    for (let i = 0; i < 10; i++) {
      await tick(clock, 5_000);
      const r = lock.stored!.record;
      lock.write({ ...r, renewTime: clock.now() });
    }
    assert.equal(b.elector.isLeader(), false);
    b.stop();
    await tick(clock, 100);
  });

  it('stops leading before the lease could expire when it cannot renew', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    const a = candidate('a', lock, clock);
    await tick(clock, 6_000); // last successful renewal at t=6000
    const lastRenew = lock.stored!.record.renewTime!;
    lock.reachable = false;
    await tick(clock, 12_000);
    const signal = a.leadingSignals[0]!;
    assert.equal(signal.aborted, true);
    assert.ok(signal.reason instanceof LeaderElectionLostError);
    assert.equal(signal.reason.reason, 'RenewDeadlineExceeded');
    const stoppedAt = Number(a.events.find((e) => e.startsWith('stopped@'))!.split('@')[1]);
    assert.ok(stoppedAt - lastRenew <= 10_000, `stopped ${stoppedAt - lastRenew} ms after the last renewal`);
    assert.ok(stoppedAt - lastRenew < 15_000, 'before the lease could expire');
    assert.equal(a.result?.outcome, 'lost');
  });

  it('stops at once when another holder takes the lease', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    const a = candidate('a', lock, clock);
    await tick(clock, 1_000);
    lock.write({
      holderIdentity: 'intruder',
      leaseDurationSeconds: 15,
      acquireTime: 1,
      renewTime: 1,
      leaderTransitions: 1,
    });
    await tick(clock, 2_100);
    assert.ok(a.result?.outcome === 'lost');
    assert.equal(a.result.error.reason, 'LeaseTakenOver');
    assert.ok(a.events.includes('leader:intruder'));
  });

  it('on stop, waits for the work while renewing, then releases so a standby takes over at once', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    let finishWork: () => void = () => undefined;
    const a = candidate('a', lock, clock, {
      callbacks: {
        onStartedLeading: (signal) =>
          new Promise<void>((resolve) => {
            finishWork = resolve;
            signal.addEventListener('abort', () => undefined);
          }),
      },
    });
    const b = candidate('b', lock, clock);
    await tick(clock, 3_000);
    assert.equal(a.elector.isLeader(), true);
    a.stop();
    await tick(clock, 20_000); // the work is still running: a keeps the lease alive
    assert.equal(a.result, undefined);
    assert.equal(lock.record()?.holderIdentity, 'a');
    assert.equal(b.elector.isLeader(), false);
    finishWork();
    await tick(clock, 10);
    assert.deepEqual(a.result, { outcome: 'stopped', wasLeader: true, released: true });
    assert.equal(lock.record()?.holderIdentity, '');
    assert.equal(lock.record()?.leaseDurationSeconds, 1);
    const releasedAt = clock.now();
    await tick(clock, 2_100); // b's next retry
    assert.equal(b.elector.isLeader(), true);
    assert.ok(clock.now() - releasedAt <= 2_100);
    assert.equal(lock.record()?.leaderTransitions, 1);
    b.stop();
    await tick(clock, 100);
  });

  it('aborts the leading signal with a stop reason on a clean stop', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    const a = candidate('a', lock, clock);
    await tick(clock, 100);
    a.stop();
    await tick(clock, 100);
    assert.ok(a.leadingSignals[0]?.reason instanceof LeaderElectionStoppedError);
    assert.equal(a.events.at(-1), 'stopped@100');
  });

  it('does not release when releaseOnCancel is false, until asked', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    const a = candidate('a', lock, clock, { releaseOnCancel: false });
    await tick(clock, 100);
    a.stop();
    await tick(clock, 100);
    assert.deepEqual(a.result, { outcome: 'stopped', wasLeader: true, released: false });
    assert.equal(lock.record()?.holderIdentity, 'a');
    assert.equal(await a.elector.release(), true);
    assert.equal(lock.record()?.holderIdentity, '');
  });

  it('still releases when the answer to its last renewal was lost', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    const a = candidate('a', lock, clock);
    await tick(clock, 100);
    lock.loseNextUpdateAnswer = true;
    await tick(clock, 2_000); // the renewal is stored, but a holds a stale version
    a.stop();
    await tick(clock, 100);
    assert.deepEqual(a.result, { outcome: 'stopped', wasLeader: true, released: true });
    assert.equal(lock.record()?.holderIdentity, '');
  });

  it('refuses a second concurrent run and a release while running', async () => {
    const clock = new FakeClock(0);
    const a = candidate('a', new MemoryLock(), clock);
    await tick(clock, 10);
    await assert.rejects(
      a.elector.run(),
      (err: unknown) => err instanceof LeaderElectionUsageError && err.reason === 'AlreadyRunning',
    );
    await assert.rejects(
      a.elector.release(),
      (err: unknown) => err instanceof LeaderElectionUsageError && err.reason === 'ReleaseWhileRunning',
    );
    a.stop();
    await tick(clock, 10);
  });

  it('reports leading status to metrics', async () => {
    const clock = new FakeClock(0);
    const seen: boolean[] = [];
    const a = candidate('a', new MemoryLock(), clock, { metrics: { leading: (l) => seen.push(l) } });
    await tick(clock, 100);
    a.stop();
    await tick(clock, 100);
    assert.deepEqual(seen, [false, true, false]);
  });

  it('returns stopped without leading when stopped while campaigning', async () => {
    const clock = new FakeClock(0);
    const lock = new MemoryLock();
    lock.write({
      holderIdentity: 'x',
      leaseDurationSeconds: 15,
      acquireTime: 0,
      renewTime: 0,
      leaderTransitions: 0,
    });
    const b = candidate('b', lock, clock);
    await tick(clock, 1_000);
    b.stop();
    await tick(clock, 10);
    assert.deepEqual(b.result, { outcome: 'stopped', wasLeader: false, released: false });
    assert.ok(!b.events.some((e) => e.startsWith('stopped@')), 'onStoppedLeading is for leaders only');
  });

  it('a standby that watches the lock counts from the renewal it saw and acquires the moment the lease expires', async () => {
    const clock = new FakeClock(0);
    const lock = new ObservedMemoryLock();
    lock.write(ghost('dead-leader', 0));
    const b = candidate('b', lock, clock);
    await tick(clock, 1_500, 10);
    lock.write(ghost('dead-leader', 1_500)); // its last renewal, between two of b's polls
    await tick(clock, 15_000 - 10, 10);
    assert.equal(b.elector.isLeader(), false, "not before the lease could expire by b's own count");
    await tick(clock, 20, 10);
    assert.equal(b.elector.isLeader(), true);
    assert.ok(b.events.includes('started@16500'), b.events.join(', '));
    b.stop();
    await settle();
  });

  it('a standby that watches the lock acquires at once when the holder releases it', async () => {
    const clock = new FakeClock(0);
    const lock = new ObservedMemoryLock();
    lock.write(ghost('leaving', 0));
    const b = candidate('b', lock, clock);
    await tick(clock, 5_000, 10);
    lock.write({ ...ghost('', 5_000), leaseDurationSeconds: 1 });
    await settle();
    assert.equal(b.elector.isLeader(), true);
    assert.ok(b.events.includes('started@5000'), b.events.join(', '));
    b.stop();
    await settle();
  });
});
