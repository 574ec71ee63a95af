/**
 * Cache removal: an informer over a namespace of N BenchItems is filled, then removed (the
 * last lease released, or the only controller using it removed from a running manager), and
 * the heap after GC is compared with the level before it was added. Every run is a fresh
 * worker process (workers/removal-worker.ts).
 */
import { checkTarget, type ScenarioReport, type Table, type TargetCheck } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Contender, type Scenario } from '../lib/scenario.ts';
import { formatMiB, formatMs, formatNumber, median } from '../lib/stats.ts';
import { startWorker } from '../lib/worker-process.ts';
import type { RemovalContender, RemovalResult, RemovalWorkerInput } from '../workers/removal-worker.ts';

const WORKER = new URL('../workers/removal-worker.ts', import.meta.url);
const MiB = 1024 * 1024;

const CONTENDERS: readonly (readonly [RemovalContender, string])[] = [
  ['factory-release', 'informer lease released'],
  ['manager-remove-controller', 'controller removed from a running manager'],
];

async function remove(
  input: RemovalWorkerInput,
  cpuProfDir: string | undefined,
  profileName: string,
): Promise<RemovalResult> {
  const worker = startWorker<never, RemovalResult>(WORKER, input, { cpuProfDir, profileName });
  try {
    const message = await worker.next();
    await worker.exited();
    return message;
  } catch (error) {
    worker.kill();
    throw error;
  }
}

const TITLE = '8. Cache removal: memory returned when an informer is removed';

export const cacheRemovalScenario: Scenario = {
  id: 'cache-removal',
  title: TITLE,
  async run(context: BenchContext): Promise<ScenarioReport> {
    const cluster = await context.cluster();
    const sizes = context.options.quick ? [1000] : [5000, 20_000];
    const rows: string[][] = [];
    const targets: TargetCheck[] = [];
    for (const size of sizes) {
      const namespace = await cluster.newNamespace(`removal-${size}`);
      await cluster.fill(namespace, size);
      const contenders: Contender<RemovalResult>[] = CONTENDERS.map(([contender, name]) => ({
        name,
        run: (round) =>
          remove(
            { contender, kubeconfigPath: cluster.kubeconfigPath, namespace, expected: size },
            context.options.cpuProfDir,
            `cache-removal-${size}-${contender}-${round + 1}`,
          ),
      }));
      const samples = await runRounds(contenders, context.rounds, context.log);
      for (const [contender, name] of CONTENDERS) {
        const results = samplesOf(samples, name);
        const held = median(results.map((r) => r.heldBytes));
        const retained = median(results.map((r) => r.retainedBytes));
        const worst = Math.max(...results.map((r) => r.retainedBytes));
        const left = Math.max(...results.map((r) => r.informersLeft));
        rows.push([
          name,
          formatNumber(size),
          formatMiB(held),
          formatMiB(retained),
          formatMiB(worst),
          formatMs(median(results.map((r) => r.removeMs))),
          String(left),
        ]);
        targets.push(
          checkTarget(
            `${formatNumber(size)} objects, ${contender}: heap after removal within 1 MiB of before (worst round, MiB)`,
            Math.abs(worst) / MiB,
            { atMost: 1 },
            (v) => `${v.toFixed(2)} MiB`,
          ),
        );
      }
      await cluster.empty(namespace);
    }
    const table: Table = {
      caption: 'heap after full GCs, relative to the level before the informer was added',
      columns: [
        'removal',
        'objects',
        'held while filled',
        'after removal (median)',
        'after removal (worst round)',
        'removal time',
        'informers left',
      ],
      rows,
    };
    return {
      id: 'cache-removal',
      title: TITLE,
      method: `A fresh worker process per run loads the runtime, makes one small list, runs one add/remove cycle untimed (so code loaded on first use is not counted as cache; for the manager row with the manager running), and takes the heap used after full GCs. It then adds an informer over a namespace of N BenchItems (a factory lease, or a controller added to the running manager that reconciles every object), takes the heap again once filled, removes it (releases the lease, or manager.remove), and takes the heap a third time. Medians and worst rounds of ${context.rounds} interleaved rounds; the target holds for the worst round.`,
      tables: [table],
      targets,
      notes: [],
    };
  },
};
