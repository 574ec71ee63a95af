/**
 * Three manager processes share one Lease: exactly one reconciles at any moment; `kill -9`
 * of the leader hands over within the lease duration; SIGTERM releases the lease so a
 * standby takes over well before it would expire. Every reconcile is recorded with its
 * process's identity and timestamps, and no two processes' reconciles may overlap.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { createResourceClient } from '../client/create-resource-client.ts';
import { controllerFor } from '../controller/builder.ts';
import { leaseResource, toMicroTime, type Lease } from '../leader-election/lease-lock.ts';
import { noopLogger } from '../log/logger.ts';
import { createManager } from './manager.ts';
import { ManagerError } from './types.ts';
import { GADGETS_CRD, gadgetResource, type Gadget } from '../testdata/gadgets.ts';

const SCRIPT = fileURLToPath(new URL('./testdata/elected-manager.ts', import.meta.url));
const LEASE_MS = 4000;

interface Reconcile {
  readonly identity: string;
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

let cp: ControlPlane;
let dir: string;
const children = new Map<string, ChildProcess>();

const records = (file: string): Reconcile[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Reconcile)
    : [];

/** When each process became the leader (`$RECORD_FILE.leading`). */
const leaders = (file: string): { identity: string; leading: number }[] =>
  existsSync(`${file}.leading`)
    ? readFileSync(`${file}.leading`, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { identity: string; leading: number })
    : [];

async function eventually<T>(check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  cp = await startControlPlane();
  await installCRDs(cp.kubeConfig, [GADGETS_CRD]);
  dir = mkdtempSync(join(tmpdir(), 'kf-election-'));
});

after(async () => {
  for (const child of children.values()) child.kill('SIGKILL');
  await cp.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts three manager processes on one Lease in a fresh namespace; returns their record file and exits. */
async function startThree(
  prefix: string,
  env: Record<string, string> = {},
): Promise<{ file: string; exits: Map<string, Promise<number | null>> }> {
  const namespace = await createNamespace(cp.kubeConfig, prefix);
  const gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource);
  for (const name of ['a', 'b']) await gadgets.create({ metadata: { name, namespace }, spec: { size: 1 } });
  const file = join(dir, `${prefix}-reconciles.jsonl`);
  const exits = new Map<string, Promise<number | null>>();
  for (const identity of ['one', 'two', 'three']) {
    const child = spawn(process.execPath, ['--conditions=kubeforge-source', SCRIPT], {
      env: {
        ...process.env,
        ...env,
        IDENTITY: identity,
        RECORD_FILE: file,
        NAMESPACE: namespace,
        KUBECONFIG_PATH: cp.kubeconfigPath,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.set(`${prefix}/${identity}`, child);
    exits.set(identity, new Promise((resolve) => child.once('exit', (code) => resolve(code))));
  }
  return { file, exits };
}

/** No moment where two processes were reconciling. */
function assertNoOverlap(file: string): void {
  const all = records(file).sort((x, y) => x.start - y.start);
  for (let i = 1; i < all.length; i++) {
    const prev = all[i - 1];
    const cur = all[i];
    if (prev === undefined || cur === undefined || prev.identity === cur.identity) continue;
    const lastOfPrev = Math.max(
      ...all.filter((r) => r.identity === prev.identity && r.start <= cur.start).map((r) => r.end),
    );
    assert.ok(
      lastOfPrev <= cur.start,
      `${prev.identity} reconciled until ${lastOfPrev}, ${cur.identity} started at ${cur.start}`,
    );
  }
}

test('with default timings, a standby takes over within ~15 s of kill -9 and within seconds of SIGTERM', async () => {
  const { file, exits } = await startThree('election-defaults', { DEFAULT_TIMING: '1' });
  const first = (await eventually(() => records(file)[0], 'a first reconcile', 60_000)).identity;
  // Let a few renewals (every 2 s) happen, so standbys have seen the lease change.
  await new Promise((r) => setTimeout(r, 3000));
  const killedAt = Date.now();
  children.get(`election-defaults/${first}`)?.kill('SIGKILL');
  // The election is timed: a standby acquires the lease once it expires. Starting the new
  // leader's caches and its first reconcile come after, at the machine's pace, so they are
  // awaited but not timed.
  const acquired = await eventually(
    () => leaders(file).find((l) => l.identity !== first),
    'the lease taken over after kill -9',
    30_000,
  );
  const takeover = acquired.leading - killedAt;
  // The dead leader renewed at most one retry period (2 s, +20 % jitter) before the kill; no
  // standby may acquire before 15 s after that renewal, and one must by a retry period after.
  assert.ok(
    takeover >= 15_000 - 2_400,
    `took over ${takeover} ms after kill -9, before the lease could expire`,
  );
  assert.ok(takeover <= 15_000 + 2_400, `took over ${takeover} ms after kill -9, after the lease expired`);
  const second = await eventually(
    () => records(file).find((r) => r.identity === acquired.identity),
    'the new leader reconciling',
    60_000,
  );
  await new Promise((r) => setTimeout(r, 1000));
  const termAt = Date.now();
  children.get(`election-defaults/${second.identity}`)?.kill('SIGTERM');
  const third = await eventually(
    () => leaders(file).find((l) => l.identity !== first && l.identity !== second.identity),
    'the lease taken over after SIGTERM',
    5_000,
  );
  const handover = third.leading - termAt;
  await eventually(
    () => records(file).find((r) => r.identity === third.identity),
    'the third reconciling',
    60_000,
  );
  assert.equal(await exits.get(second.identity), 0, 'SIGTERM exits cleanly');
  await new Promise((r) => setTimeout(r, 500));
  assertNoOverlap(file);
  console.log(`# default timings: takeover ${takeover} ms after kill -9, ${handover} ms after SIGTERM`);
});

test('exactly one of three managers reconciles; kill -9 and SIGTERM hand over without overlap', async () => {
  const { file, exits } = await startThree('election');

  // Exactly one reconciles.
  const first = (await eventually(() => records(file)[0], 'a first reconcile', 60_000)).identity;
  await new Promise((r) => setTimeout(r, 2000));
  assert.deepEqual(new Set(records(file).map((r) => r.identity)), new Set([first]));

  // kill -9 the leader: another takes over within the lease duration (plus one retry period).
  const killedAt = Date.now();
  children.get(`election/${first}`)?.kill('SIGKILL');
  const second = await eventually(
    () => records(file).find((r) => r.identity !== first),
    'a takeover after kill -9',
    LEASE_MS * 3,
  );
  // A standby considers the lease expired LEASE_MS after it last saw it change, and it looks
  // every retry period (500 ms, jittered up to 1.2x more): from the kill, the takeover is
  // bounded by one look to see the last renewal, the lease duration, and one more look.
  const takeover = second.start - killedAt;
  const maxRetryMs = 500 * 2.2;
  assert.ok(takeover <= LEASE_MS + 2 * maxRetryMs + 500, `takeover after kill -9 took ${takeover} ms`);
  assert.ok(
    takeover >= LEASE_MS - maxRetryMs,
    `took over after ${takeover} ms, before the lease could expire`,
  );

  // SIGTERM the new leader: it releases the lease and the last one takes over well before expiry.
  await new Promise((r) => setTimeout(r, 500));
  const termAt = Date.now();
  children.get(`election/${second.identity}`)?.kill('SIGTERM');
  const third = await eventually(
    () => records(file).find((r) => r.identity !== first && r.identity !== second.identity),
    'a takeover after SIGTERM',
    LEASE_MS * 3,
  );
  const handover = third.start - termAt;
  assert.ok(handover < LEASE_MS - 1000, `takeover after SIGTERM took ${handover} ms (lease ${LEASE_MS} ms)`);
  assert.equal(await exits.get(second.identity), 0, 'SIGTERM exits cleanly');
  await new Promise((r) => setTimeout(r, 500));

  assertNoOverlap(file);
  const all = records(file).sort((x, y) => x.start - y.start);
  const perIdentity = (id: string) => all.filter((r) => r.identity === id);
  for (const [a, b] of [
    [first, second.identity],
    [second.identity, third.identity],
  ] as const) {
    const lastA = Math.max(...perIdentity(a).map((r) => r.end));
    const firstB = Math.min(...perIdentity(b).map((r) => r.start));
    assert.ok(lastA <= firstB, `${a} reconciled until ${lastA} but ${b} began at ${firstB}`);
  }
  assert.ok(perIdentity(third.identity).length > 0);
});

test('a leader that loses its lease aborts in-flight reconciles, stops its controllers and exits non-zero', async () => {
  const namespace = await createNamespace(cp.kubeConfig, 'lease-loss');
  const gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource);
  await gadgets.create({ metadata: { name: 'slow', namespace }, spec: { size: 1 } });
  const exitCodes: number[] = [];
  const reconcileStarts: number[] = [];
  const aborted: unknown[] = [];
  const callbacks: string[] = [];
  const manager = createManager({
    kubeConfig: cp.kubeConfig,
    logger: noopLogger,
    handleSignals: false,
    cache: { namespace },
    exit: (code) => exitCodes.push(code),
    leaderElection: {
      leaseName: 'loss',
      namespace,
      identity: 'victim',
      leaseDurationMs: 4000,
      renewDeadlineMs: 3000,
      retryPeriodMs: 500,
      onStartedLeading: (signal) => callbacks.push(`started aborted=${signal.aborted}`),
      onStoppedLeading: () => callbacks.push('stopped'),
      onNewLeader: (identity) => callbacks.push(`leader ${identity}`),
    },
  });
  manager.add(
    controllerFor<Gadget>(gadgetResource).complete(async (_request, { signal }) => {
      reconcileStarts.push(Date.now());
      // A long reconcile that honours its signal.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 60_000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          aborted.push(signal.reason);
          resolve();
        });
      });
      return { requeueAfterMs: 10 };
    }),
  );
  const running = manager.start();
  await eventually(() => (reconcileStarts.length > 0 ? true : undefined), 'the first reconcile');
  assert.equal(manager.isLeading(), true);

  // Another holder takes the lease over (as if this process had been partitioned away).
  const leases = createResourceClient<Lease>(cp.kubeConfig, leaseResource);
  const stolenAt = Date.now();
  await leases.modify(
    'loss',
    (lease) => {
      lease.spec = {
        ...lease.spec,
        holderIdentity: 'intruder',
        renewTime: toMicroTime(Date.now()),
        leaseDurationSeconds: 4,
      };
      return lease;
    },
    { namespace },
  );
  await assert.rejects(
    running,
    (err: unknown) => err instanceof ManagerError && err.reason === 'LeaderElectionLost',
  );
  const exitedAt = Date.now();
  assert.deepEqual(exitCodes, [1]);
  assert.deepEqual(
    callbacks,
    ['leader victim', 'started aborted=false', 'leader intruder', 'stopped'],
    'the leadership callbacks, in order',
  );
  assert.equal(aborted.length, 1, 'the in-flight reconcile was aborted');
  assert.equal(manager.isLeading(), false);
  // The leader notices at its next renewal (every 500 ms) and stops within the drain margin.
  assert.ok(exitedAt - stolenAt < 2000, `exited ${exitedAt - stolenAt} ms after the takeover`);
  const startsBefore = reconcileStarts.length;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(reconcileStarts.length, startsBefore, 'no reconcile after exiting');
});
