/**
 * A worker process that fills a cache and removes it again, for the cache-removal scenario.
 * Heap used after full GCs is taken three times: before the informer is added (libraries
 * loaded, one small list made through the runtime's HTTP stack, the manager running when the
 * contender has one, and one add/remove cycle done untimed so code loaded on first use is in
 * memory), once the cache is filled, and after the informer was removed.
 *
 * - `factory-release`: a shared informer factory lease over the namespace, then its release.
 * - `manager-remove-controller`: a running manager (cache scoped to the namespace) gets a
 *   controller for the namespace's BenchItems, reconciles every one, then `manager.remove`.
 */
import {
  controllerFor,
  createManager,
  createResourceClient,
  createSharedInformerFactory,
  noopLogger,
  type Manager,
  type SharedInformerFactory,
} from '@kubeforge/runtime';
import { KubeConfig } from '@kubernetes/client-node';
import { benchItemResource, type BenchItem } from '../lib/bench-resource.ts';
import { sendToParent, workerInput } from '../lib/worker-process.ts';

export type RemovalContender = 'factory-release' | 'manager-remove-controller';

export interface RemovalWorkerInput {
  readonly contender: RemovalContender;
  readonly kubeconfigPath: string;
  readonly namespace: string;
  /** Objects in the namespace. */
  readonly expected: number;
}

export interface RemovalResult {
  readonly type: 'removed';
  readonly cached: number;
  /** Heap used after GC with the cache filled, minus before it was added. */
  readonly heldBytes: number;
  /** Heap used after GC once it was removed, minus before it was added. */
  readonly retainedBytes: number;
  /** Informers the factory still held after the removal (0 expected). */
  readonly informersLeft: number;
  /** Time the removal took (release / manager.remove). */
  readonly removeMs: number;
}

/** Heap used after full GCs, from a macrotask of its own (see informer-worker.ts). */
async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the removal worker needs --expose-gc');
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`removal worker: timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function viaFactory(kubeConfig: KubeConfig, input: RemovalWorkerInput): Promise<RemovalResult> {
  const factory: SharedInformerFactory = createSharedInformerFactory({ kubeConfig, logger: noopLogger });
  factory.start();
  // The lease lives in this inner call only: once released, nothing here references it.
  const cycle = async () => {
    const lease = factory.acquire(benchItemResource, { namespace: input.namespace });
    if (!(await lease.informer.waitForCacheSync())) throw new Error('the informer stopped before syncing');
    const size = lease.informer.indexer.size;
    const heap = await heapAfterGc();
    const started = performance.now();
    await lease.release();
    return { cached: size, filled: heap, removeMs: performance.now() - started };
  };
  // One cycle untimed, so code the informer loads on first use is not counted as cache.
  await cycle();
  const before = await heapAfterGc();
  const { cached, filled, removeMs } = await cycle();
  const after = await heapAfterGc();
  const informersLeft = factory.informers().length;
  await factory.stop();
  return {
    type: 'removed',
    cached,
    heldBytes: filled - before,
    retainedBytes: after - before,
    informersLeft,
    removeMs,
  };
}

async function viaManager(kubeConfig: KubeConfig, input: RemovalWorkerInput): Promise<RemovalResult> {
  const manager: Manager = createManager({
    kubeConfig,
    logger: noopLogger,
    handleSignals: false,
    cache: { namespaces: [input.namespace] },
  });
  const running = manager.start();
  // A first controller added and removed untimed: code the manager loads on first use
  // (controller, queue, metrics of a controller) is not counted as cache.
  await cycle(manager, 'warm-up', 0);
  const before = await heapAfterGc();
  const { cached, removeMs } = await cycle(manager, 'measured', input.expected);
  const after = await heapAfterGc();
  const informersLeft = manager.informers.informers().length;
  await manager.stop();
  await running;
  return {
    type: 'removed',
    cached,
    heldBytes: heldAtPeak - before,
    retainedBytes: after - before,
    informersLeft,
    removeMs,
  };
}

let heldAtPeak = 0;

/** Adds a controller over the namespace, waits for `expected` reconciles, takes the heap, removes it. */
async function cycle(
  manager: Manager,
  name: string,
  expected: number,
): Promise<{ cached: number; removeMs: number }> {
  const reconciled = new Set<string>();
  manager.add(
    controllerFor<BenchItem>(benchItemResource)
      .named(name)
      .complete((request) => {
        reconciled.add(request.name);
        return Promise.resolve({});
      }),
  );
  await until(() => reconciled.size >= expected && synced(manager), `${name} reconciled ${expected} objects`);
  const cached = manager.informers.informers().reduce((n, e) => n + e.informer.indexer.size, 0);
  if (expected > 0) heldAtPeak = await heapAfterGc();
  const started = performance.now();
  await manager.remove(name);
  return { cached, removeMs: performance.now() - started };
}

function synced(manager: Manager): boolean {
  const entries = manager.informers.informers();
  return entries.length > 0 && entries.every((e) => e.informer.hasSynced());
}

async function main(): Promise<void> {
  const input = workerInput() as RemovalWorkerInput;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(input.kubeconfigPath);
  // Code loaded on first use (HTTP stack, TLS) is in memory before the baseline.
  await createResourceClient<BenchItem>(kubeConfig, benchItemResource)
    .inNamespace(input.namespace)
    .list({ limit: 1 });
  const result =
    input.contender === 'factory-release'
      ? await viaFactory(kubeConfig, input)
      : await viaManager(kubeConfig, input);
  if (result.cached !== input.expected) {
    throw new Error(`${input.contender} cached ${result.cached} objects, expected ${input.expected}`);
  }
  await sendToParent(result);
}

await main();
process.exit(0);
