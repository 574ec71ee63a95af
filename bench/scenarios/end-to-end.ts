/**
 * Scenario 4, end to end, in two shapes:
 *
 * - backlog: N objects exist; a controller starts (cache first) and writes the status of
 *   each. Every reconcile is one API write, so the reference is the bare client writing the
 *   same N status patches at the controller's concurrency: the ratio is what the controller
 *   machinery (list, watch, cache, queue, reconciler, client) costs on top of the writes.
 * - live: N objects created (bare client, concurrency 16) into a namespace a controller
 *   watches; the time from the first create until the controller has written the status of
 *   all N. The reference is the bare create rate alone; each object costs two writes (its
 *   create and its status) to the same server, so about 0.5x is the ceiling.
 */
import { createBareUndiciClient, runConcurrently } from '../lib/bare-client.ts';
import { benchItem, collectionPath, itemName } from '../lib/bench-resource.ts';
import { checkTarget, type ScenarioReport, type Table, type TargetCheck } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Scenario } from '../lib/scenario.ts';
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
const BARE_STATUS_WRITES = 'bare status writes only (no controller)';
/** The controllers' concurrent reconciles, and the bare status writes' concurrency. */
const WRITE_CONCURRENCY = 16;
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

    const runController = async (
      contender: ControllerContender,
      mode: ControllerWorkerInput['mode'],
      round: number,
      namespace: string,
    ): Promise<EndToEndSample> => {
      const input: ControllerWorkerInput = {
        contender,
        kubeconfigPath: cluster.kubeconfigPath,
        namespace,
        expected: count,
        mode,
      };
      const worker = startWorker<ControllerWorkerCommand, ControllerWorkerMessage>(WORKER, input, {
        cpuProfDir: context.options.cpuProfDir,
        profileName: `end-to-end-${mode}-${contender}-${round + 1}`,
      });
      try {
        let started: number | undefined;
        if (mode === 'live') {
          const ready = await worker.next();
          if (ready.type !== 'ready')
            throw new Error(`controller worker answered ${ready.type}, expected ready`);
          started = performance.timeOrigin + performance.now();
          await createAll(namespace);
        }
        const done = await worker.next();
        if (done.type !== 'done') throw new Error(`controller worker answered ${done.type}, expected done`);
        const totalMs = done.at - (started ?? done.startedAt);
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

    /** Runs `run` in a fresh namespace, holding `prefilled` objects first (untimed) if asked. */
    const inFreshNamespace =
      (prefilled: boolean, run: (namespace: string) => Promise<EndToEndSample>) =>
      async (): Promise<EndToEndSample> => {
        const namespace = await cluster.newNamespace('e2e');
        try {
          if (prefilled) await createAll(namespace);
          return await run(namespace);
        } finally {
          await cluster.empty(namespace);
        }
      };

    // A fresh client, timed from before it connects: the controller too starts cold.
    const bareStatusWrites = async (namespace: string): Promise<EndToEndSample> => {
      const started = performance.now();
      const writer = await createBareUndiciClient(cluster.kubeConfig);
      await runConcurrently(count, WRITE_CONCURRENCY, (i) =>
        writer.send(
          'PATCH',
          `${collectionPath(namespace)}/${itemName(i)}/status`,
          { status: { observedValue: i } },
          'application/merge-patch+json',
        ),
      );
      const totalMs = performance.now() - started;
      await writer.close();
      return { perSecond: (count / totalMs) * 1000, totalMs, reconciles: 0 };
    };
    const bareCreates = async (namespace: string): Promise<EndToEndSample> => {
      const started = performance.now();
      await createAll(namespace);
      const totalMs = performance.now() - started;
      return { perSecond: (count / totalMs) * 1000, totalMs, reconciles: 0 };
    };

    const shapes = [
      {
        mode: 'backlog' as const,
        bare: BARE_STATUS_WRITES,
        contenders: [
          { name: BARE_STATUS_WRITES, run: inFreshNamespace(true, bareStatusWrites) },
          ...CONTENDERS.map(([contender, name]) => ({
            name,
            run: (round: number) =>
              inFreshNamespace(true, (namespace) => runController(contender, 'backlog', round, namespace))(),
          })),
        ],
      },
      {
        mode: 'live' as const,
        bare: BARE_CREATES,
        contenders: [
          { name: BARE_CREATES, run: inFreshNamespace(false, bareCreates) },
          ...CONTENDERS.map(([contender, name]) => ({
            name,
            run: (round: number) =>
              inFreshNamespace(false, (namespace) => runController(contender, 'live', round, namespace))(),
          })),
        ],
      },
    ];

    const kubeforge = CONTENDERS[0]?.[1] ?? '';
    const tables: Table[] = [];
    const targets: TargetCheck[] = [];
    try {
      for (const shape of shapes) {
        context.log(
          `end to end (${shape.mode}): ${formatNumber(count)} objects, controllers with ${String(WRITE_CONCURRENCY)} workers`,
        );
        const samples = await runRounds<EndToEndSample>(shape.contenders, context.rounds, context.log);
        const stat = (name: string, pick: (s: EndToEndSample) => number): number =>
          median(samplesOf(samples, name).map(pick));
        const rate = (s: EndToEndSample): number => s.perSecond;
        const vsBare = (name: string): number =>
          pairedRatio(samplesOf(samples, name).map(rate), samplesOf(samples, shape.bare).map(rate));
        const names = [shape.bare, ...CONTENDERS.map(([, name]) => name)];
        if (shape.mode === 'backlog') {
          tables.push({
            caption: `backlog: ${formatNumber(count)} objects exist, the controller starts (one write per reconcile)`,
            columns: [
              'contender',
              'time until all reconciled',
              'reconciles/s',
              'vs bare status writes',
              'reconcile calls',
            ],
            rows: names.map((name) => [
              name,
              formatMs(stat(name, (s) => s.totalMs)),
              formatNumber(stat(name, rate)),
              formatRatio(vsBare(name)),
              name === shape.bare ? '-' : formatNumber(stat(name, (s) => s.reconciles)),
            ]),
          });
          targets.push(
            checkTarget(
              'backlog: kubeforge >= 0.8x the bare write rate in reconciles/s',
              vsBare(kubeforge),
              { atLeast: 0.8 },
              formatRatio,
            ),
          );
        } else {
          tables.push({
            caption: `live: ${formatNumber(count)} objects created while the controller runs (two writes per object)`,
            columns: [
              'contender',
              'time until all reconciled',
              'reconciles/s',
              'vs bare create rate',
              'API writes vs bare',
              'reconcile calls',
            ],
            rows: names.map((name) => [
              name,
              formatMs(stat(name, (s) => s.totalMs)),
              formatNumber(stat(name, rate)),
              formatRatio(vsBare(name)),
              // Every reconciled object costs two API writes (its create and its status).
              formatRatio(vsBare(name) * (name === shape.bare ? 1 : 2)),
              name === shape.bare ? '-' : formatNumber(stat(name, (s) => s.reconciles)),
            ]),
          });
          targets.push(
            checkTarget(
              'live: kubeforge >= 0.8x the bare create rate in reconciles/s (about 0.5x is the ceiling: two writes per object)',
              vsBare(kubeforge),
              { atLeast: 0.8 },
              formatRatio,
            ),
          );
        }
      }
    } finally {
      await creator.close();
    }
    return {
      id: 'end-to-end',
      title: TITLE,
      method: `Controllers run in their own worker process with ${String(WRITE_CONCURRENCY)} concurrent reconciles; each writes the status of every BenchItem (a merge patch to the status subresource). Backlog: ${formatNumber(count)} BenchItems exist (created untimed) and the controller starts; time from starting it (cache first) until it wrote the status of all ${formatNumber(count)}, against a fresh bare client (timed from before it connects, as the controller starts cold) writing the same ${formatNumber(count)} status patches at concurrency ${String(WRITE_CONCURRENCY)}. Live: ${formatNumber(count)} BenchItems created at concurrency ${String(CREATE_CONCURRENCY)} (bare client) into a fresh namespace the controller already watches; time from the first create until all statuses were written, against the same creates with no controller. Medians of ${String(context.rounds)} interleaved rounds; ratios are medians of the per-round ratios.`,
      tables,
      targets,
      notes: [
        'Backlog isolates what the controller costs: every reconcile is one write, as in the bare run. Live adds the creates to the same server, so it handles twice the writes of the bare run and about 0.5x is the ceiling for any controller.',
      ],
    };
  },
};
