/**
 * Scenario 5, workqueue: add/get/done operations per second in one process, with
 * deduplication. Each batch adds K distinct keys twice (the second add of each key is
 * deduplicated), then a worker gets and finishes each key once: 4K operations per batch.
 * Keys are pre-built strings, as a controller's `namespace/name` keys are.
 */
import { createRateLimitingQueue, createWorkQueue, queueShutDown, type WorkQueue } from '@kubeforge/runtime';
import { checkTarget, type ScenarioReport } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Contender, type Scenario } from '../lib/scenario.ts';
import { formatNumber, formatRatio, median, ratio } from '../lib/stats.ts';

interface QueueSample {
  readonly opsPerSecond: number;
}

const BATCH = 1000;

async function drive(
  queue: WorkQueue<string>,
  keys: readonly string[],
  batches: number,
): Promise<QueueSample> {
  const started = performance.now();
  let ops = 0;
  for (let b = 0; b < batches; b++) {
    for (const key of keys) queue.add(key);
    for (const key of keys) queue.add(key);
    for (const _key of keys) {
      const item = await queue.get();
      if (item === queueShutDown) throw new Error('queue shut down during the benchmark');
      queue.done(item);
    }
    ops += keys.length * 4;
  }
  const elapsedMs = performance.now() - started;
  if (queue.len() !== 0) throw new Error(`queue still holds ${queue.len()} items: deduplication failed`);
  return { opsPerSecond: (ops / elapsedMs) * 1000 };
}

const WORK_QUEUE = 'kubeforge createWorkQueue';
const RATE_LIMITING_QUEUE = 'kubeforge createRateLimitingQueue (add path)';

export const workqueueScenario: Scenario = {
  id: 'workqueue',
  title: '5. Workqueue: add/get/done with deduplication',
  async run(context: BenchContext): Promise<ScenarioReport> {
    const batches = context.options.quick ? 100 : 1000;
    const keys = Array.from({ length: BATCH }, (_, i) => `namespace-${i % 10}/object-${i}`);
    const contenders: Contender<QueueSample>[] = [
      {
        name: WORK_QUEUE,
        warmUp: async () => {
          await drive(createWorkQueue<string>(), keys, 20);
        },
        run: () => drive(createWorkQueue<string>(), keys, batches),
      },
      {
        name: RATE_LIMITING_QUEUE,
        warmUp: async () => {
          const queue = createRateLimitingQueue<string>();
          await drive(queue, keys, 20);
          queue.shutDown();
        },
        run: async () => {
          const queue = createRateLimitingQueue<string>();
          const sample = await drive(queue, keys, batches);
          queue.shutDown();
          return sample;
        },
      },
    ];
    context.log(
      `workqueue: ${batches} batches of ${BATCH} keys (${formatNumber(batches * BATCH * 4)} ops per run)`,
    );
    const samples = await runRounds(contenders, context.rounds, context.log);
    const opsPerSecond = (name: string): number =>
      median(samplesOf(samples, name).map((s) => s.opsPerSecond));
    return {
      id: 'workqueue',
      title: this.title,
      method: `${batches} batches per run; each batch adds ${BATCH} distinct keys twice, then gets and finishes each once (4 operations per key). Medians of ${context.rounds} interleaved rounds.`,
      tables: [
        {
          columns: ['contender', 'ops/s', 'vs target (1M ops/s)'],
          rows: contenders.map(({ name }) => [
            name,
            formatNumber(opsPerSecond(name)),
            formatRatio(ratio(opsPerSecond(name), 1_000_000)),
          ]),
        },
      ],
      targets: [
        checkTarget(
          'workqueue >= 1,000,000 ops/s',
          opsPerSecond(WORK_QUEUE),
          { atLeast: 1_000_000 },
          (v) => `${formatNumber(v)} ops/s`,
        ),
      ],
      notes: [],
    };
  },
};
