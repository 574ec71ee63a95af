/**
 * Lease-based leader election with client-go's semantics.
 *
 * Guarantees and caveats:
 * - Lease validity is judged only by local time: a candidate considers a holder's lease
 *   expired once `leaseDurationSeconds` passed on *its own* clock since it last *observed*
 *   the record change. Remote timestamps (`renewTime`) are written for humans, never
 *   compared with the local clock, so clock skew between replicas cannot cause two leaders.
 * - Standbys watch the lock when it supports it (`ResourceLock.observe`): they see each
 *   renewal as it happens, so they count from the renewal itself rather than from their next
 *   poll, try to acquire the moment the lease expires by that count, and try at once when the
 *   holder releases it. They also poll every retry period, in case the watch is down. With the
 *   defaults a standby takes over at most ~15 s after the leader's last renewal.
 * - The leader stops leading (aborts the signal given to `onStartedLeading`) when it has not
 *   renewed for `renewDeadlineMs`, counted from the start of its last successful renewal —
 *   before any standby can consider the lease expired (`leaseDurationMs` later). It also
 *   stops at once when it sees another holder.
 * - On a clean stop (the `run` signal aborts) the leader first waits for the work started by
 *   `onStartedLeading` to finish while still renewing, then releases the lease (empty holder,
 *   1 s duration) so a standby takes over without waiting for expiry.
 */
import { realClock, type Clock } from '../workqueue/clock.ts';
import type { LeaderElectionMetrics } from '../metrics/sinks.ts';
import type { Logger } from '../log/logger.ts';
import {
  defaultLeaderIdentity,
  LeaderElectionUsageError,
  retryJitterFactor,
  validateLeaderElectionTiming,
  type LeaderElectionTiming,
} from './config.ts';
import type { LeaderElectionRecord, LockSnapshot, ResourceLock } from './lease-lock.ts';

export interface LeaderElectionCallbacks {
  /**
   * Called once this process holds the lease. Start the work here and stop it when `signal`
   * aborts (leadership lost, or the elector is stopping). Return a promise that settles once
   * the work has stopped: on a clean stop the lease is released only after that.
   */
  onStartedLeading(signal: AbortSignal): unknown;
  /** Called after leading ends, for any reason (not called if this process never led). */
  onStoppedLeading?(): void;
  /** Called when a different holder identity is observed (including this process's own). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectorOptions extends Partial<LeaderElectionTiming> {
  readonly lock: ResourceLock;
  readonly callbacks: LeaderElectionCallbacks;
  /** Unique per process; default `hostname_uuid`. */
  readonly identity?: string;
  /** Release the lease when `run`'s signal aborts (default `true`). */
  readonly releaseOnCancel?: boolean;
  /** Names the election in logs and metrics; default the lock's `namespace/name`. */
  readonly name?: string;
  readonly clock?: Clock;
  readonly logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  readonly metrics?: LeaderElectionMetrics;
  /** Source of randomness in [0, 1) for retry jitter. */
  readonly random?: () => number;
}

/**
 * How `run` ended: `stopped` after its signal aborted (with whether the lease was released),
 * or `lost` when leadership was lost while running (renewal failed past the deadline, or
 * another holder took the lease). A process that loses leadership should exit.
 */
export type LeaderElectionResult =
  | { readonly outcome: 'stopped'; readonly wasLeader: boolean; readonly released: boolean }
  | { readonly outcome: 'lost'; readonly error: LeaderElectionLostError };

export type LeaderElectionLostReason = 'RenewDeadlineExceeded' | 'LeaseTakenOver';

/** The abort reason of the leading signal when leadership is lost. */
export class LeaderElectionLostError extends Error {
  readonly reason: LeaderElectionLostReason;
  constructor(reason: LeaderElectionLostReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LeaderElectionLostError';
    this.reason = reason;
  }
}

/** Stopping the elector (not an error): the abort reason of the leading signal on a clean stop. */
export class LeaderElectionStoppedError extends Error {
  constructor() {
    super('leader election stopped');
    this.name = 'LeaderElectionStoppedError';
  }
}

export interface LeaderElector {
  readonly identity: string;
  /** Campaigns, leads while it can, and resolves when leading ends or `signal` aborts. Call once at a time. */
  run(signal?: AbortSignal): Promise<LeaderElectionResult>;
  /** Whether this process currently holds the lease, as last observed. */
  isLeader(): boolean;
  /** The last observed holder (`undefined` before the first read, `''` when released). */
  leader(): string | undefined;
  /**
   * Gives up the lease if this process holds it (empty holder, 1 s duration). Use it after
   * `run` resolved with `releaseOnCancel: false`; while `run` is active, abort its signal.
   */
  release(): Promise<boolean>;
}

export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  return new Elector(options);
}

class Elector implements LeaderElector {
  readonly identity: string;
  readonly #timing: LeaderElectionTiming;
  readonly #lock: ResourceLock;
  readonly #callbacks: LeaderElectionCallbacks;
  readonly #releaseOnCancel: boolean;
  readonly #name: string;
  readonly #clock: Clock;
  readonly #logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'> | undefined;
  readonly #metrics: LeaderElectionMetrics | undefined;
  readonly #random: () => number;

  /** The last record seen or written, the version to update it from, and when (local clock) it last changed. */
  #observed: LockSnapshot | undefined;
  #observedAt = 0;
  #reportedLeader: string | undefined;
  #running = false;
  /** Ends the standby's current wait early (set while it waits). */
  #wake: (() => void) | undefined;

  constructor(options: LeaderElectorOptions) {
    this.identity = options.identity ?? defaultLeaderIdentity();
    this.#timing = validateLeaderElectionTiming(options, this.identity);
    this.#lock = options.lock;
    this.#callbacks = options.callbacks;
    this.#releaseOnCancel = options.releaseOnCancel ?? true;
    this.#name = options.name ?? options.lock.describe();
    this.#clock = options.clock ?? realClock;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#random = options.random ?? Math.random;
  }

  isLeader(): boolean {
    return this.#observed?.record.holderIdentity === this.identity;
  }

  leader(): string | undefined {
    return this.#observed?.record.holderIdentity;
  }

  async run(signal?: AbortSignal): Promise<LeaderElectionResult> {
    if (this.#running) {
      throw new LeaderElectionUsageError(
        'AlreadyRunning',
        `leader election ${this.#name}: run() is already running; wait for it to resolve before calling it again`,
      );
    }
    this.#running = true;
    this.#metrics?.leading(false);
    const observing = new AbortController();
    this.#lock.observe?.((snapshot) => this.#observed_(snapshot), observing.signal);
    try {
      const acquiredAt = await this.#acquire(signal);
      if (acquiredAt === undefined) return { outcome: 'stopped', wasLeader: false, released: false };
      return await this.#lead(acquiredAt, signal);
    } finally {
      observing.abort();
      this.#running = false;
    }
  }

  async release(): Promise<boolean> {
    if (this.#running) {
      throw new LeaderElectionUsageError(
        'ReleaseWhileRunning',
        `leader election ${this.#name}: release() while run() is active; abort run's signal instead (the lease is released once the work stops)`,
      );
    }
    return this.#release();
  }

  /** Tries until the lease is held; returns the local time the winning attempt started. */
  async #acquire(signal: AbortSignal | undefined): Promise<number | undefined> {
    const { retryPeriodMs, renewDeadlineMs } = this.#timing;
    this.#logger?.info('attempting to acquire leader lease', { lease: this.#name, identity: this.identity });
    while (signal?.aborted !== true) {
      const started = this.#clock.now();
      const attempt = this.#deadlineSignal(started + renewDeadlineMs, signal);
      const acquired = await this.#tryAcquireOrRenew(attempt.signal);
      attempt.dispose();
      this.#reportTransition();
      if (acquired) {
        this.#logger?.info('acquired leader lease', { lease: this.#name, identity: this.identity });
        return started;
      }
      // Poll every (jittered) retry period, but wake the moment the observed lease expires,
      // or when the watch reports a change (a release, a renewal to count from).
      let wait = retryPeriodMs * (1 + this.#random() * retryJitterFactor);
      // Zero means this attempt already came after expiry and failed: wait a retry period.
      const expiresIn = this.#expiresIn(this.#clock.now());
      if (expiresIn !== undefined && expiresIn > 0) wait = Math.min(wait, expiresIn);
      const woken = new AbortController();
      this.#wake = () => woken.abort();
      const onAbort = (): void => woken.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      await sleep(this.#clock, wait, woken.signal);
      signal?.removeEventListener('abort', onAbort);
      this.#wake = undefined;
    }
    return undefined;
  }

  /** Milliseconds until another holder's observed lease expires; `undefined` when free or ours. */
  #expiresIn(now: number): number | undefined {
    const observed = this.#observed;
    if (observed === undefined) return undefined;
    const holder = observed.record.holderIdentity;
    if (holder === '' || holder === this.identity) return undefined;
    return Math.max(0, this.#observedAt + observed.record.leaseDurationSeconds * 1000 - now);
  }

  /**
   * A change seen by the lock's watch. Recorded with the local time it arrived (never earlier
   * than the write itself, so counting expiry from it is safe). While leading, echoes of this
   * process's own writes are ignored: the elector knows them already, with their versions.
   */
  #observed_(snapshot: LockSnapshot | undefined): void {
    if (snapshot === undefined) {
      this.#wake?.();
      return;
    }
    const observed = this.#observed;
    if (observed?.version === snapshot.version) return;
    if (this.isLeader() && snapshot.record.holderIdentity === this.identity) return;
    if (observed !== undefined && sameRecord(observed.record, snapshot.record)) return;
    this.#observe(snapshot, this.#clock.now());
    this.#reportTransition();
    this.#wake?.();
  }

  async #lead(acquiredAt: number, signal: AbortSignal | undefined): Promise<LeaderElectionResult> {
    const { retryPeriodMs, renewDeadlineMs } = this.#timing;
    this.#metrics?.leading(true);
    const leading = new AbortController();
    // Settles when the user's work has stopped (or at once if it returned nothing).
    const work = Promise.resolve()
      .then(() => this.#callbacks.onStartedLeading(leading.signal))
      .catch((err: unknown) => {
        this.#logger?.error('onStartedLeading failed', { lease: this.#name, error: err });
      });

    // Stopping: tell the work, keep renewing until it is done, then release.
    const stopping = new AbortController();
    const onAbort = (): void => {
      leading.abort(new LeaderElectionStoppedError());
      void work.then(() => stopping.abort());
    };
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });

    const stopped = (): boolean => stopping.signal.aborted;
    let lastRenew = acquiredAt;
    let lost: LeaderElectionLostError | undefined;
    try {
      while (!stopped()) {
        await sleep(
          this.#clock,
          Math.min(retryPeriodMs, lastRenew + renewDeadlineMs - this.#clock.now()),
          stopping.signal,
        );
        if (stopped()) break;
        const started = this.#clock.now();
        const deadline = lastRenew + renewDeadlineMs;
        if (started >= deadline) {
          lost = new LeaderElectionLostError(
            'RenewDeadlineExceeded',
            `leader election ${this.#name}: could not renew the lease within ${renewDeadlineMs} ms; stopped leading before it could expire`,
          );
          break;
        }
        // Not tied to `stopping`: abandoning a write in flight would leave the stored version
        // unknown and make the release that follows fail.
        const attempt = this.#deadlineSignal(deadline, undefined);
        const renewed = await this.#tryAcquireOrRenew(attempt.signal);
        attempt.dispose();
        this.#reportTransition();
        if (renewed) {
          lastRenew = started;
        } else if (
          !this.isLeader() &&
          this.#observed !== undefined &&
          this.#observed.record.holderIdentity !== ''
        ) {
          lost = new LeaderElectionLostError(
            'LeaseTakenOver',
            `leader election ${this.#name}: the lease is now held by ${this.#observed.record.holderIdentity}`,
          );
          break;
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }

    if (lost !== undefined) {
      this.#logger?.error('leader election lost', {
        lease: this.#name,
        identity: this.identity,
        reason: lost.reason,
      });
      leading.abort(lost);
      this.#stoppedLeading();
      return { outcome: 'lost', error: lost };
    }
    // Clean stop: the work has finished (stopping aborts only after `work` settles).
    await work;
    const released = this.#releaseOnCancel ? await this.#release() : false;
    this.#stoppedLeading();
    return { outcome: 'stopped', wasLeader: true, released };
  }

  #stoppedLeading(): void {
    this.#metrics?.leading(false);
    try {
      this.#callbacks.onStoppedLeading?.();
    } catch (err) {
      this.#logger?.error('onStoppedLeading failed', { lease: this.#name, error: err });
    }
  }

  /**
   * One round of client-go's `tryAcquireOrRenew`: create the lock if missing; otherwise take
   * or renew it unless another holder's lease is still valid by local observation.
   */
  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.#clock.now();
    const desired: LeaderElectionRecord = {
      holderIdentity: this.identity,
      leaseDurationSeconds: this.#timing.leaseDurationMs / 1000,
      acquireTime: now,
      renewTime: now,
      leaderTransitions: 0,
    };
    const observed = this.#observed;

    // Fast path: we hold a valid lease; renew from the version we wrote last.
    if (observed !== undefined && this.isLeader() && this.#leaseValid(now)) {
      try {
        const record = {
          ...desired,
          acquireTime: observed.record.acquireTime,
          leaderTransitions: observed.record.leaderTransitions,
        };
        this.#observe(await this.#lock.update(record, observed.version, { signal }), now);
        return true;
      } catch (err) {
        if (signal.aborted) return false;
        this.#logger?.debug('lease renewal from the last known version failed; re-reading', {
          lease: this.#name,
          error: err,
        });
      }
    }

    let current: LockSnapshot | undefined;
    try {
      current = await this.#lock.get({ signal });
    } catch (err) {
      this.#logger?.warn('cannot read the leader lease', { lease: this.#name, error: err });
      return false;
    }
    if (current === undefined) {
      try {
        this.#observe(await this.#lock.create(desired, { signal }), now);
        return true;
      } catch (err) {
        this.#logger?.warn('cannot create the leader lease', { lease: this.#name, error: err });
        return false;
      }
    }

    if (observed?.version !== current.version || !sameRecord(observed.record, current.record)) {
      this.#observe(current, this.#clock.now());
    }
    const holder = current.record.holderIdentity;
    if (holder !== '' && holder !== this.identity && this.#leaseValid(now)) {
      this.#logger?.debug('the leader lease is held by another candidate', { lease: this.#name, holder });
      return false;
    }
    const record: LeaderElectionRecord =
      holder === this.identity
        ? {
            ...desired,
            acquireTime: current.record.acquireTime,
            leaderTransitions: current.record.leaderTransitions,
          }
        : { ...desired, leaderTransitions: current.record.leaderTransitions + 1 };
    try {
      this.#observe(await this.#lock.update(record, current.version, { signal }), now);
      return true;
    } catch (err) {
      this.#logger?.warn('cannot update the leader lease', { lease: this.#name, error: err });
      return false;
    }
  }

  async #release(): Promise<boolean> {
    const observed = this.#observed;
    if (observed === undefined || !this.isLeader()) return false;
    const now = this.#clock.now();
    const record: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaderTransitions: observed.record.leaderTransitions,
    };
    try {
      let version = observed.version;
      for (let attempt = 0; ; attempt++) {
        try {
          this.#observe(await this.#lock.update(record, version), now);
          break;
        } catch (err) {
          // The version may be stale (e.g. a renewal's answer was lost); re-read once and
          // release only if the lease is still ours.
          if (attempt > 0) throw err;
          const current = await this.#lock.get();
          if (current?.record.holderIdentity !== this.identity) {
            if (current !== undefined) this.#observe(current, this.#clock.now());
            return false;
          }
          version = current.version;
        }
      }
      this.#logger?.info('released leader lease', { lease: this.#name, identity: this.identity });
      return true;
    } catch (err) {
      this.#logger?.warn('cannot release the leader lease; standbys take over once it expires', {
        lease: this.#name,
        error: err,
      });
      return false;
    }
  }

  #observe(snapshot: LockSnapshot, at: number): void {
    this.#observed = snapshot;
    this.#observedAt = at;
  }

  #leaseValid(now: number): boolean {
    const observed = this.#observed;
    return observed !== undefined && this.#observedAt + observed.record.leaseDurationSeconds * 1000 > now;
  }

  #reportTransition(): void {
    const holder = this.#observed?.record.holderIdentity;
    if (holder === undefined || holder === '' || holder === this.#reportedLeader) return;
    this.#reportedLeader = holder;
    if (holder !== this.identity)
      this.#logger?.info('new leader observed', { lease: this.#name, leader: holder });
    try {
      this.#callbacks.onNewLeader?.(holder);
    } catch (err) {
      this.#logger?.error('onNewLeader failed', { lease: this.#name, error: err });
    }
  }

  /** A signal that aborts at `deadline` (local clock) or when `parent` aborts. */
  #deadlineSignal(
    deadline: number,
    parent: AbortSignal | undefined,
  ): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    const timer = this.#clock.setTimer(
      () => controller.abort(new Error('leader election attempt deadline passed')),
      deadline - this.#clock.now(),
    );
    const onAbort = (): void => controller.abort(parent?.reason);
    if (parent?.aborted === true) onAbort();
    else parent?.addEventListener('abort', onAbort, { once: true });
    return {
      signal: controller.signal,
      dispose: () => {
        timer.cancel();
        parent?.removeEventListener('abort', onAbort);
      },
    };
  }
}

function sameRecord(a: LeaderElectionRecord, b: LeaderElectionRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaderTransitions === b.leaderTransitions
  );
}

/** Resolves after `ms` on `clock`, or as soon as `signal` aborts. */
function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      timer.cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimer(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
