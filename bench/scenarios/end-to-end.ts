/**
 * Scenario 4, end to end: N objects created (bare client, concurrency 16) into a namespace a
 * controller watches; the time from the first create until the controller has written the
 * status of all N, as reconciles per second. The reference is the bare create rate alone
 * (the same creates, no controller): a controller cannot finish faster than its objects
 * arrive, and the target asks how close it gets.
 */
import { createBareUndiciClient, runConcurrently } from '../lib/bare-client.ts';
import { benchItem, collectionPath, itemName } from '../lib/bench-resource.ts';
import { checkTarget, type ScenarioReport } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Contender, type Scenario } from '../lib/scenario.ts';
import { formatMs, formatNumber, formatRatio, median, pairedRatio } from '../lib/stats.ts';
import { startWorker } from '../lib/worker-process.ts';
import type {
  ControllerContender,
  ControllerWorkerCommand,
  ControllerWorkerInput,
  ControllerWorkerMessage,
} from '../workers/controller-worker.ts';

const WORKER = new URL('../workers/controller-worker.ts', import.meta.url);
const CREATE_CONCURRENCY = 16;
const TITLE = '4. End to end: objects created until all reconciled';

interface EndToEndSample {
  readonly perSecond: number;
  readonly totalMs: number;
  readonly reconciles: number;
}

const BARE_CREATES = 'bare creates only (no controller)';
const CONTENDERS: readonly (readonly [ControllerContender, string])[] = [
  ['kubeforge', 'kubeforge manager + controllerFor'],
  ['client-node', 'client-node informer + hand-written queue'],
];

export const endToEndScenario: Scenario = {
  id: 'end-to-end',
  title: TITLE,
  async run(context: BenchContext): Promise<ScenarioReport> {
    const cluster = await context.cluster();
    const count = context.options.quick ? 200 : 1000;
    const creator = await createBareUndiciClient(cluster.kubeConfig);
    const createAll = (namespace: string): Promise<void> =>
      runConcurrently(count, CREATE_CONCURRENCY, (i) =>
        creator.send('POST', collectionPath(namespace), benchItem(namespace, itemName(i), i)),
      );

    const withController = async (
      contender: ControllerContender,
      round: number,
      namespace: string,
    ): Promise<EndToEndSample> => {
      const input: ControllerWorkerInput = {
        contender,
        kubeconfigPath: cluster.kubeconfigPath,
        namespace,
        expected: count,
      };
      const worker = startWorker<ControllerWorkerCommand, ControllerWorkerMessage>(WORKER, input, {
        cpuProfDir: context.options.cpuProfDir,
        profileName: `end-to-end-${contender}-${round + 1}`,
      });
      try {
        const ready = await worker.next();
        if (ready.type !== 'ready')
          throw new Error(`controller worker answered ${ready.type}, expected ready`);
        const started = performance.timeOrigin + performance.now();
        await createAll(namespace);
        const done = await worker.next();
        if (done.type !== 'done') throw new Error(`controller worker answered ${done.type}, expected done`);
        const totalMs = done.at - started;
        return { perSecond: (count / totalMs) * 1000, totalMs, reconciles: done.reconciles };
      } finally {
        worker.send({ type: 'stop' });
        const exited = worker.exited().catch(() => undefined);
        const timeout = new Promise<'timeout'>((resolve) =>
          setTimeout(() => resolve('timeout'), 10_000).unref(),
        );
        if ((await Promise.race([exited, timeout])) === 'timeout') worker.kill();
        await exited;
      }
    };

    const inFreshNamespace =
      (run: (namespace: string) => Promise<EndToEndSample>) => async (): Promise<EndToEndSample> => {
        const namespace = await cluster.newNamespace('e2e');
        try {
          return await run(namespace);
        } finally {
          await cluster.empty(namespace);
        }
      };

    const contenders: Contender<EndToEndSample>[] = [
      {
        name: BARE_CREATES,
        run: inFreshNamespace(async (namespace) => {
          const started = performance.now();
          await createAll(namespace);
          const totalMs = performance.now() - started;
          return { perSecond: (count / totalMs) * 1000, totalMs, reconciles: 0 };
        }),
      },
      ...CONTENDERS.map(([contender, name]) => ({
        name,
        run: (round: number) =>
          inFreshNamespace((namespace) => withController(contender, round, namespace))(),
      })),
    ];
    context.log(`end to end: ${count} objects, controllers with 16 workers`);
    let samples;
    try {
      samples = await runRounds(contenders, context.rounds, context.log);
    } finally {
      await creator.close();
    }
    const stat = (name: string, pick: (s: EndToEndSample) => number): number =>
      median(samplesOf(samples, name).map(pick));
    const rate = (s: EndToEndSample): number => s.perSecond;
    const vsBare = (name: string): number =>
      pairedRatio(samplesOf(samples, name).map(rate), samplesOf(samples, BARE_CREATES).map(rate));
    const rows = [BARE_CREATES, ...CONTENDERS.map(([, name]) => name)].map((name) => [
      name,
      formatMs(stat(name, (s) => s.totalMs)),
      formatNumber(stat(name, (s) => s.perSecond)),
      formatRatio(vsBare(name)),
      // Every reconciled object costs two API writes (its create and its status).
      formatRatio(vsBare(name) * (name === BARE_CREATES ? 1 : 2)),
      name === BARE_CREATES ? '-' : formatNumber(stat(name, (s) => s.reconciles)),
    ]);
    const kubeforge = CONTENDERS[0]?.[1] ?? '';
    return {
      id: 'end-to-end',
      title: TITLE,
      method: `${formatNumber(count)} BenchItems created at concurrency ${CREATE_CONCURRENCY} (bare client) into a fresh namespace watched by a controller in its own worker process; time from the first create until the controller wrote the status of all ${formatNumber(count)}. "Bare creates only" is the same creates with no controller: the rate objects arrive at. Medians of ${context.rounds} interleaved rounds; ratios are medians of the per-round ratios.`,
      tables: [
        {
          columns: [
            'contender',
            'time until all reconciled',
            'reconciles/s',
            'vs bare create rate',
            'API writes vs bare',
            'reconcile calls',
          ],
          rows,
        },
      ],
      targets: [
        checkTarget(
          'kubeforge >= 0.8x the bare write rate in reconciles/s',
          vsBare(kubeforge),
          { atLeast: 0.8 },
          formatRatio,
        ),
      ],
      notes: [
        'The controllers write one status per object, so the API server handles twice the writes of the bare run; the creates and the status writes compete for the same server.',
      ],
    };
  },
};
