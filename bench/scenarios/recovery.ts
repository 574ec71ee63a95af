/**
 * Recovery: kubeforge's informer beside client-node's `makeInformer` on the same faults, with
 * default settings. The scenario owns a local control plane (the faults need its processes):
 * kube-apiserver killed with SIGKILL and restarted (three times, one with --quick), after each
 * restart one ConfigMap created and one deleted; then a silent stall of the network path
 * through a local TCP proxy (sockets open, no bytes), a create and a delete during it, then
 * heal. Both informers run in this process (the runner's), side by side on the same namespace.
 */
import {
  createInformer,
  createResourceClient,
  noopLogger,
  type Informer,
  type KubeObject,
  type ResourceClient,
} from '@kubeforge/runtime';
import {
  createNamespace,
  defaultControlPlaneDir,
  startControlPlane,
  startTcpProxy,
  withServer,
} from '@kubeforge/testing';
import {
  CoreV1Api,
  KubeConfig,
  makeInformer,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { ScenarioReport, Table, TargetCheck } from '../lib/report.ts';
import { messageOf, type BenchContext, type Scenario } from '../lib/scenario.ts';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const configMapResource = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
} as const;

/** Goals from issue 15 (docs/recovery.md). */
const RESTART_GOAL_S = 2;
const HEAL_GOAL_S = 35;

const TITLE = '9. Recovery: kube-apiserver restarts and a stalled network path, beside client-node';

/** When each informer saw each name added and deleted (local clock), and whether it gave up. */
interface Seen {
  readonly added: Map<string, number>;
  readonly deleted: Map<string, number>;
  /** client-node: the time of its first `error` event, after which it never restarts by itself. */
  errorAt: number | undefined;
}

function newSeen(): Seen {
  return { added: new Map(), deleted: new Map(), errorAt: undefined };
}

interface Watched {
  readonly seen: Seen;
  stop(): Promise<void>;
}

interface KubeforgeWatched extends Watched {
  readonly informer: Informer<ConfigMap>;
}

async function startKubeforge(kubeConfig: KubeConfig, namespace: string): Promise<KubeforgeWatched> {
  const client = createResourceClient<ConfigMap>(kubeConfig, configMapResource);
  // Default settings; the logger only keeps the report's console quiet.
  const informer = createInformer<ConfigMap>(client.inNamespace(namespace), { logger: noopLogger });
  const seen = newSeen();
  informer.addEventHandler({
    add: (o) => void seen.added.set(o.metadata.name ?? '', Date.now()),
    delete: (o) => void seen.deleted.set(o.metadata.name ?? '', Date.now()),
  });
  informer.start();
  if (!(await informer.waitForCacheSync(AbortSignal.timeout(30_000)))) {
    throw new Error('the kubeforge informer did not sync');
  }
  await until(() => informer.health().state === 'watching', 30_000);
  return { informer, seen, stop: () => informer.stop() };
}

async function startClientNode(kubeConfig: KubeConfig, namespace: string): Promise<Watched> {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const informer = makeInformer(
    kubeConfig,
    `/api/v1/namespaces/${namespace}/configmaps`,
    () => api.listNamespacedConfigMap({ namespace }) as Promise<KubernetesListObject<KubernetesObject>>,
  );
  const seen = newSeen();
  informer.on('add', (o) => void seen.added.set(o.metadata?.name ?? '', Date.now()));
  informer.on('delete', (o) => void seen.deleted.set(o.metadata?.name ?? '', Date.now()));
  informer.on('error', () => {
    seen.errorAt ??= Date.now();
  });
  await informer.start();
  return { seen, stop: () => informer.stop() };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds or `timeoutMs` passes; returns whether it held. */
async function until(condition: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const start = Date.now();
  for (;;) {
    if (condition()) return true;
    if (Date.now() - start > timeoutMs) return false;
    await sleep(intervalMs);
  }
}

async function retrying<T>(op: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return await op();
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await sleep(200);
    }
  }
}

/** Milliseconds from `from` until both changes were seen, or undefined if not both. */
function bothSeenAfter(seen: Seen, added: string, deleted: string, from: number): number | undefined {
  const a = seen.added.get(added);
  const d = seen.deleted.get(deleted);
  return a === undefined || d === undefined ? undefined : Math.max(a, d) - from;
}

/** Waits until both informers saw both changes, each bounded; a stopped client-node ends its wait. */
async function waitBoth(
  kubeforge: Seen,
  clientNode: Seen,
  added: string,
  deleted: string,
  from: number,
  boundMs: number,
): Promise<void> {
  await until(() => {
    const elapsed = Date.now() - from;
    const kfDone = bothSeenAfter(kubeforge, added, deleted, from) !== undefined || elapsed > boundMs;
    const cnDone =
      bothSeenAfter(clientNode, added, deleted, from) !== undefined ||
      clientNode.errorAt !== undefined ||
      elapsed > boundMs;
    return kfDone && cnDone;
  }, boundMs + 1_000);
}

function figure(seen: Seen, added: string, deleted: string, from: number, boundMs: number): string {
  const ms = bothSeenAfter(seen, added, deleted, from);
  if (ms !== undefined) return `${(ms / 1000).toFixed(2)} s`;
  if (seen.errorAt !== undefined) return 'never (stopped after an error event)';
  return `never (not within ${(boundMs / 1000).toFixed(0)} s)`;
}

function target(what: string, ms: number | undefined, goalS: number): TargetCheck {
  if (ms === undefined) return { target: what, measured: 'never', status: 'missed' };
  const s = ms / 1000;
  return { target: what, measured: `${s.toFixed(2)} s`, status: s <= goalS ? 'met' : 'missed' };
}

export const recoveryScenario: Scenario = {
  id: 'recovery',
  title: TITLE,
  async run(context: BenchContext): Promise<ScenarioReport> {
    const quick = context.options.quick;
    const restarts = quick ? 1 : 3;
    const stallMs = quick ? 20_000 : 45_000;
    const restartBoundMs = quick ? 20_000 : 60_000;
    const healBoundMs = 60_000;
    const kube = context.options.kube;
    const binaryDir =
      kube === undefined
        ? undefined
        : /^\d+\.\d+\.\d+$/.test(kube)
          ? defaultControlPlaneDir(process.env, kube)
          : kube;
    const cp = await startControlPlane({
      useExistingCluster: false,
      ...(binaryDir === undefined ? {} : { binaryDir }),
    });
    const local = cp.local;
    const rows: string[][] = [];
    const targets: TargetCheck[] = [];
    const notes: string[] = [];
    const running: Watched[] = [];
    let proxyClose: (() => Promise<void>) | undefined;
    try {
      if (local === undefined) throw new Error('the recovery scenario needs a local control plane');
      context.log(`  recovery control plane ${local.apiServerUrl}`);
      const configMaps: ResourceClient<ConfigMap> = createResourceClient<ConfigMap>(
        cp.kubeConfig,
        configMapResource,
      );

      // Fault 1: kill -9 and restart of kube-apiserver.
      const ns = await createNamespace(cp.kubeConfig, 'bench-recovery-restart');
      const kf = await startKubeforge(cp.kubeConfig, ns);
      running.push(kf);
      const cn = await startClientNode(cp.kubeConfig, ns);
      running.push(cn);
      let worstRestartMs: number | undefined = 0;
      for (let round = 1; round <= restarts; round++) {
        await configMaps.create({ metadata: { name: `before-restart-${round}`, namespace: ns } });
        await until(() => kf.seen.added.has(`before-restart-${round}`), 10_000);
        await local.restartApiServer({ kill: true });
        const readyAt = Date.now();
        const created = `after-restart-${round}`;
        const removed = `before-restart-${round}`;
        await retrying(() => configMaps.create({ metadata: { name: created, namespace: ns }, data: {} }));
        await retrying(() => configMaps.delete(removed, { namespace: ns }));
        await waitBoth(kf.seen, cn.seen, created, removed, readyAt, restartBoundMs);
        const kfMs = bothSeenAfter(kf.seen, created, removed, readyAt);
        worstRestartMs =
          kfMs === undefined || worstRestartMs === undefined ? undefined : Math.max(worstRestartMs, kfMs);
        rows.push([
          `kill -9 + restart of kube-apiserver, ${round} of ${restarts}: create + delete seen, after ready`,
          figure(kf.seen, created, removed, readyAt, restartBoundMs),
          figure(cn.seen, created, removed, readyAt, restartBoundMs),
          `<= ${RESTART_GOAL_S} s`,
        ]);
        context.log(`  restart ${round}: ${rows.at(-1)?.slice(1, 3).join(' | ')}`);
      }
      targets.push(
        target(
          `kubeforge: create + delete seen after each of ${restarts} kube-apiserver kill -9 + restart (worst, after ready)`,
          worstRestartMs,
          RESTART_GOAL_S,
        ),
      );
      await Promise.all(running.splice(0).map((w) => w.stop()));

      // Fault 2: a silent stall of the network path through a TCP proxy.
      const stallNs = await createNamespace(cp.kubeConfig, 'bench-recovery-stall');
      await configMaps.create({ metadata: { name: 'doomed', namespace: stallNs }, data: {} });
      const url = new URL(local.apiServerUrl);
      const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
      proxyClose = () => proxy.close();
      const proxied = withServer(cp.kubeConfig, proxy.url);
      const kf2 = await startKubeforge(proxied, stallNs);
      running.push(kf2);
      const cn2 = await startClientNode(proxied, stallNs);
      running.push(cn2);
      const failuresBefore = kf2.informer.health().failures;
      const stalled = proxy.stallAll();
      const stalledAt = Date.now();
      await configMaps.create({ metadata: { name: 'born-in-stall', namespace: stallNs }, data: {} });
      await configMaps.delete('doomed', { namespace: stallNs });
      let detectedAt: number | undefined;
      await until(
        () => {
          const h = kf2.informer.health();
          if (detectedAt === undefined && (h.failures > failuresBefore || h.state !== 'watching')) {
            detectedAt = Date.now();
          }
          return Date.now() - stalledAt >= stallMs;
        },
        stallMs + 1_000,
        100,
      );
      proxy.heal();
      const healedAt = Date.now();
      await waitBoth(kf2.seen, cn2.seen, 'born-in-stall', 'doomed', healedAt, healBoundMs);
      const cnDetected =
        cn2.seen.errorAt !== undefined && cn2.seen.errorAt < healedAt
          ? `${((cn2.seen.errorAt - stalledAt) / 1000).toFixed(1)} s (error event; it stops)`
          : 'not detected';
      rows.push([
        `stall of ${stallMs / 1000} s (${stalled} connections): detected, after it began`,
        detectedAt === undefined ? 'not detected' : `${((detectedAt - stalledAt) / 1000).toFixed(1)} s`,
        cnDetected,
        '<= 30 s (docs/recovery.md)',
      ]);
      rows.push([
        `stall of ${stallMs / 1000} s: create + delete made during it seen, after heal`,
        figure(kf2.seen, 'born-in-stall', 'doomed', healedAt, healBoundMs),
        figure(cn2.seen, 'born-in-stall', 'doomed', healedAt, healBoundMs),
        `<= ${HEAL_GOAL_S} s`,
      ]);
      context.log(`  stall: ${rows.at(-1)?.slice(1, 3).join(' | ')}`);
      targets.push(
        target(
          `kubeforge: create + delete made during a ${stallMs / 1000} s stall seen after heal`,
          bothSeenAfter(kf2.seen, 'born-in-stall', 'doomed', healedAt),
          HEAL_GOAL_S,
        ),
      );
    } catch (error) {
      notes.push(`The scenario stopped early: ${messageOf(error)}`);
      throw error;
    } finally {
      await Promise.all(running.splice(0).map((w) => w.stop().catch(() => undefined)));
      await proxyClose?.();
      await cp.stop();
    }
    const table: Table = {
      caption: 'seconds until both changes are seen (one pass; never = not within the bound)',
      columns: ['fault', 'kubeforge', 'client-node', 'goal'],
      rows,
    };
    return {
      id: 'recovery',
      title: TITLE,
      method: `On a control plane of its own, kubeforge's createInformer and client-node's makeInformer (both with default settings, in the runner's process) watch the same namespace of ConfigMaps. kube-apiserver is killed with SIGKILL and restarted ${restarts} time(s); after each restart is ready one ConfigMap is created and one deleted, and each informer's time from ready until it has seen both is taken (bound ${restartBoundMs / 1000} s). Then both informers (fresh, through a local TCP proxy) see the path stall for ${stallMs / 1000} s (sockets open, no bytes) while a ConfigMap is created and one deleted; the proxy heals and the time until each has seen both is taken (bound ${healBoundMs / 1000} s). A client-node informer that emitted an error event is not waited for: it does not restart by itself (cache.js returns after calling the error handlers). One pass, not rounds: --rounds does not apply.`,
      tables: [table],
      targets,
      notes,
    };
  },
};
