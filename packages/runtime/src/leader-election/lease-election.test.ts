/**
 * Leader election over a real coordination.k8s.io/v1 Lease on a real kube-apiserver
 * (@kubeforge/testing), with short timings: lease 3 s, renew deadline 2 s, retry 0.5 s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createNamespace, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { createResourceClient } from '../client/create-resource-client.ts';
import { createLeaderElector, type LeaderElectionResult, type LeaderElector } from './leader-elector.ts';
import { createLeaseLock, leaseResource, toMicroTime, type Lease } from './lease-lock.ts';

const timing = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };

interface Running {
  readonly elector: LeaderElector;
  readonly stop: () => void;
  readonly done: Promise<LeaderElectionResult>;
  /** What the callbacks saw. */
  readonly seen: { lostAt?: number; leadingSignal?: AbortSignal };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('leader election with a Lease', () => {
  let cp: ControlPlane;
  let namespace: string;
  let leases: ReturnType<typeof createResourceClient<Lease>>;

  before(async () => {
    // Stops its server to test stepping down: always a control plane of its own.
    cp = await startControlPlane({ useExistingCluster: false });
    namespace = await createNamespace(cp.kubeConfig, 'leader-election');
    leases = createResourceClient<Lease>(cp.kubeConfig, leaseResource);
  });
  after(async () => {
    await cp.stop();
  });

  function start(identity: string, leaseName: string): Running {
    const controller = new AbortController();
    const seen: Running['seen'] = {};
    const elector = createLeaderElector({
      ...timing,
      identity,
      lock: createLeaseLock({
        kubeConfig: cp.kubeConfig,
        namespace,
        name: leaseName,
        labels: { 'app.kubernetes.io/name': 'kubeforge-test' },
      }),
      callbacks: {
        onStartedLeading: (signal) => {
          seen.leadingSignal = signal;
        },
        onStoppedLeading: () => {
          seen.lostAt = Date.now();
        },
      },
    });
    return { elector, seen, stop: () => controller.abort(), done: elector.run(controller.signal) };
  }

  it('lets exactly one of two candidates lead, recorded in the Lease', async () => {
    const a = start('replica-a', 'one-leader');
    const b = start('replica-b', 'one-leader');
    await waitFor('a leader', () => a.elector.isLeader() || b.elector.isLeader());
    // Several renew rounds later, still exactly one.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const leaders = [a, b].filter((r) => r.elector.isLeader());
    assert.equal(leaders.length, 1);
    const [leader] = leaders;
    const lease = await leases.get('one-leader', { namespace });
    const spec = lease.spec ?? {};
    assert.equal(spec.holderIdentity, leader?.elector.identity);
    assert.equal(spec.leaseDurationSeconds, 3);
    assert.match(String(spec.renewTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.match(String(spec.acquireTime), /\.\d{6}Z$/);
    assert.equal(spec.leaseTransitions, 0);
    assert.deepEqual(
      lease.metadata.labels,
      { 'app.kubernetes.io/name': 'kubeforge-test' },
      'kept across renewals',
    );
    a.stop();
    b.stop();
    await Promise.all([a.done, b.done]);
  });

  it('hands over quickly when the leader releases on a clean stop', async () => {
    const a = start('first', 'handover');
    await waitFor('first to lead', () => a.elector.isLeader());
    const b = start('second', 'handover');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(b.elector.isLeader(), false);

    const stoppedAt = Date.now();
    a.stop();
    assert.deepEqual(await a.done, { outcome: 'stopped', wasLeader: true, released: true });
    await waitFor('second to take over', () => b.elector.isLeader());
    const takeoverMs = Date.now() - stoppedAt;
    // Without the release it would wait out the 3 s lease; with it, one jittered retry (<= 1.1 s).
    assert.ok(takeoverMs < timing.leaseDurationMs, `took over after ${takeoverMs} ms`);
    const lease = await leases.get('handover', { namespace });
    const spec = lease.spec ?? {};
    assert.equal(spec.holderIdentity, 'second');
    assert.equal(spec.leaseTransitions, 1);
    b.stop();
    await b.done;
  });

  it('takes over a lease left by a crashed holder only after the lease duration', async () => {
    // A holder that died while leading: its Lease still names it and is never renewed again.
    await leases.create({
      metadata: { name: 'abandoned', namespace },
      spec: {
        holderIdentity: 'crashed-replica',
        leaseDurationSeconds: 3,
        acquireTime: toMicroTime(Date.now()),
        renewTime: toMicroTime(Date.now()),
        leaseTransitions: 2,
      },
    });
    const since = Date.now();
    const heir = start('heir', 'abandoned');
    await waitFor('heir to take over', () => heir.elector.isLeader(), 10_000);
    const waited = Date.now() - since;
    assert.ok(waited >= timing.leaseDurationMs, `took over after ${waited} ms, before the lease expired`);
    assert.equal(heir.elector.leader(), 'heir');
    const lease = await leases.get('abandoned', { namespace });
    assert.equal(lease.spec?.leaseTransitions, 3);
    heir.stop();
    await heir.done;
  });

  it('steps down before the lease expires when the API server is unreachable', async () => {
    const a = start('isolated', 'unreachable');
    await waitFor('isolated to lead', () => a.elector.isLeader());
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // a couple of renewals
    const local = cp.local ?? assert.fail('a local control plane is expected');
    const stoppedApiAt = Date.now();
    await local.stopApiServer();
    const result = await a.done;
    assert.ok(result.outcome === 'lost');
    assert.equal(result.error.reason, 'RenewDeadlineExceeded');
    assert.equal(a.seen.leadingSignal?.aborted, true);
    const steppedDownAfter = (a.seen.lostAt ?? Infinity) - stoppedApiAt;
    // The last renewal happened before the API server stopped, so the lease (3 s from then)
    // is still valid for any standby when the leader gives up (renew deadline 2 s).
    assert.ok(
      steppedDownAfter < timing.leaseDurationMs,
      `stepped down ${steppedDownAfter} ms after the outage`,
    );
    await local.startApiServer();
  });
});
