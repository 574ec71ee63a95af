/**
 * Scenario 3, watch throughput and latency: while an informer (in its own worker process)
 * watches a namespace, the runner patches its objects (bare client), each patch carrying its
 * send time. The worker records the delay from send to handler for every update; "keeps up"
 * means every update arrived and the last one within a second of the last write.
 *
 * The API server's maximum write rate is found first: the runner alone writes at 1, 2, 4, 8
 * and 16 patches in flight, and the fewest in flight that reach 90 % of the best rate drive
 * the server at its maximum. More in flight than that adds little rate and mostly a queue
 * inside the server, which every watcher sees alike (the bare watch stream too); that
 * overload is measured as well and reported against the floor.
 */
import { createBareUndiciClient, runForDuration } from '../lib/bare-client.ts';
import { collectionPath, itemName } from '../lib/bench-resource.ts';
import { checkTarget, type ScenarioReport, type Table, type TargetCheck } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Contender, type Scenario } from '../lib/scenario.ts';
import { formatMs, formatNumber, formatRatio, kneeOf, median } from '../lib/stats.ts';
import { startWorker } from '../lib/worker-process.ts';
import type {
  InformerContender,
  InformerWorkerInput,
  InformerWorkerMessage,
  WatchExpect,
} from '../workers/informer-worker.ts';

const WORKER = new URL('../workers/informer-worker.ts', import.meta.url);
const KEEP_UP_MS = 1000;

interface WatchSample {
  readonly writesPerSecond: number;
  readonly written: number;
  readonly received: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** From the last write's answer to the last update handled. */
  readonly catchUpMs: number;
}

const CONTENDERS: readonly (readonly [InformerContender, string])[] = [
  ['kubeforge', 'kubeforge informer'],
  ['client-node', 'client-node makeInformer'],
  ['bare-watch', 'bare watch stream (floor)'],
];

/** Patches in flight tried to find the server's maximum write rate. */
const RAMP = [1, 2, 4, 8, 16] as const;
const OVERLOAD = 16;
/** The share of the best rate that counts as the maximum (the knee of the curve). */
const KNEE_SHARE = 0.9;

interface Load {
  readonly concurrency: number;
  readonly label: string;
  readonly kind: 'maximum' | 'overload' | 'steady';
}

const TITLE = '3. Watch: throughput and write-to-handler latency';
const now = (): number => performance.timeOrigin + performance.now();

export const watchScenario: Scenario = {
  id: 'watch',
  title: TITLE,
  async run(context: BenchContext): Promise<ScenarioReport> {
    const cluster = await context.cluster();
    const objects = context.options.quick ? 50 : 200;
    const durationMs = context.options.quick ? 2000 : 5000;
    const namespace = await cluster.newNamespace('watch');
    await cluster.fill(namespace, objects);
    const writer = await createBareUndiciClient(cluster.kubeConfig);
    const base = collectionPath(namespace);

    const measure = async (
      contender: InformerContender,
      concurrency: number,
      round: number,
    ): Promise<WatchSample> => {
      const input: InformerWorkerInput = {
        mode: 'watch',
        contender,
        kubeconfigPath: cluster.kubeconfigPath,
        namespace,
        expected: objects,
      };
      const worker = startWorker<WatchExpect, InformerWorkerMessage>(WORKER, input, {
        cpuProfDir: context.options.cpuProfDir,
        profileName: `watch-c${concurrency}-${contender}-${round + 1}`,
      });
      try {
        const ready = await worker.next();
        if (ready.type !== 'ready') throw new Error(`informer worker answered ${ready.type}, expected ready`);
        const started = performance.now();
        const written = await runForDuration(durationMs, concurrency, (i) =>
          writer.send(
            'PATCH',
            `${base}/${itemName(i % objects)}`,
            { spec: { value: i, sentAt: now() } },
            'application/merge-patch+json',
          ),
        );
        const writesEnd = now();
        const elapsedMs = performance.now() - started;
        worker.send({ type: 'expect', count: written });
        const result = await worker.next();
        if (result.type !== 'watched')
          throw new Error(`informer worker answered ${result.type}, expected watched`);
        await worker.exited();
        return {
          writesPerSecond: (written / elapsedMs) * 1000,
          written,
          received: result.received,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          maxMs: result.maxMs,
          catchUpMs: Math.max(0, result.lastEventAt - writesEnd),
        };
      } catch (error) {
        worker.kill();
        throw error;
      }
    };

    /** Writes per second of the runner alone at each concurrency: rounds interleaved, medians. */
    const ramp = async (): Promise<Map<number, number>> => {
      const rates = new Map<number, number[]>();
      const rampMs = context.options.quick ? 1000 : 2000;
      for (let round = 0; round < 2; round++) {
        for (const concurrency of RAMP) {
          const started = performance.now();
          const written = await runForDuration(rampMs, concurrency, (i) =>
            writer.send(
              'PATCH',
              `${base}/${itemName(i % objects)}`,
              { spec: { value: i } },
              'application/merge-patch+json',
            ),
          );
          rates.set(concurrency, [
            ...(rates.get(concurrency) ?? []),
            (written / (performance.now() - started)) * 1000,
          ]);
        }
      }
      return new Map([...rates].map(([concurrency, values]) => [concurrency, median(values)]));
    };

    const keptUp = (s: WatchSample): boolean => s.received >= s.written && s.catchUpMs < KEEP_UP_MS;
    const tables: Table[] = [];
    const targets: TargetCheck[] = [];
    const notes: string[] = [];
    try {
      const rates = await ramp();
      const best = Math.max(...rates.values());
      const knee = kneeOf(rates, KNEE_SHARE) ?? OVERLOAD;
      context.log(
        `watch: write rate by patches in flight ${[...rates].map(([c, r]) => `${String(c)}: ${formatNumber(r)}/s`).join(', ')}; maximum at ${String(knee)}`,
      );
      tables.push({
        caption: `the API server's write rate by patches in flight (runner alone; the maximum: the fewest in flight reaching ${formatNumber(KNEE_SHARE * 100)} % of the best)`,
        columns: ['patches in flight', 'writes/s', 'vs best'],
        rows: [...rates].map(([c, r]) => [
          c === knee ? `**${String(c)}** (maximum)` : String(c),
          formatNumber(r),
          `${formatNumber((r / best) * 100)} %`,
        ]),
      });
      const loads: Load[] = [
        {
          concurrency: knee,
          label: `maximum write rate (${String(knee)} patch${knee === 1 ? '' : 'es'} in flight)`,
          kind: 'maximum',
        },
        ...(knee < OVERLOAD
          ? [
              {
                concurrency: OVERLOAD,
                label: `overload (${String(OVERLOAD)} patches in flight: past the maximum, extra writes mostly wait in the server)`,
                kind: 'overload' as const,
              },
            ]
          : []),
        ...(knee > 1
          ? [{ concurrency: 1, label: 'steady load (1 patch in flight)', kind: 'steady' as const }]
          : []),
      ];
      for (const { concurrency, label: load, kind } of loads) {
        const contenders: Contender<WatchSample>[] = CONTENDERS.map(([contender, name]) => ({
          name,
          run: (round) => measure(contender, concurrency, round),
        }));
        context.log(`watch: ${load}, ${objects} objects, ${durationMs / 1000} s per run`);
        const samples = await runRounds(contenders, context.rounds, context.log);
        const rows = CONTENDERS.map(([, name]) => {
          const runs = samplesOf(samples, name);
          const stat = (pick: (s: WatchSample) => number): number => median(runs.map(pick));
          return [
            name,
            formatNumber(stat((s) => s.writesPerSecond)),
            `${formatNumber(stat((s) => s.received / Math.max(1, s.written)) * 100, 1)} %`,
            formatMs(stat((s) => s.p50Ms)),
            formatMs(stat((s) => s.p99Ms)),
            formatMs(stat((s) => s.maxMs)),
            formatMs(stat((s) => s.catchUpMs)),
            `${runs.filter(keptUp).length}/${runs.length}`,
          ];
        });
        tables.push({
          caption: load,
          columns: [
            'contender',
            'writes/s',
            'updates received',
            'p50',
            'p99',
            'max',
            'catch-up after last write',
            'rounds kept up',
          ],
          rows,
        });
        const p99 = (index: number): number =>
          median(samplesOf(samples, CONTENDERS[index]?.[1] ?? '').map((s) => s.p99Ms));
        const kubeforgeRuns = samplesOf(samples, CONTENDERS[0]?.[1] ?? '');
        if (kind !== 'steady') {
          targets.push(
            checkTarget(
              `kubeforge keeps up with the ${kind === 'maximum' ? 'maximum write rate' : 'overload'} (every round)`,
              kubeforgeRuns.length === 0
                ? Number.NaN
                : kubeforgeRuns.filter(keptUp).length / kubeforgeRuns.length,
              { atLeast: 1 },
              (v) => `${formatNumber(v * 100)} % of rounds`,
            ),
          );
        }
        if (kind !== 'overload') {
          targets.push(
            checkTarget(`kubeforge p99 write-to-handler < 50 ms, ${load}`, p99(0), { below: 50 }, formatMs),
          );
        }
        if (kind !== 'steady') {
          // Under load the delay is mostly the server's queue, which the bare stream sees too:
          // this holds the client to the floor, whatever the machine.
          targets.push(
            checkTarget(
              `kubeforge p99 within 1.2x of the bare watch stream's (the floor), ${load}`,
              p99(0) / p99(2),
              { atMost: 1.2 },
              formatRatio,
            ),
          );
        }
        notes.push(
          `${load}: p99 kubeforge ${formatMs(p99(0))}, client-node ${formatMs(p99(1))}, bare watch ${formatMs(p99(2))} (the floor: the API server's own write and fan-out latency); kubeforge vs client-node ${formatRatio(p99(0) / p99(1))}.`,
        );
      }
    } finally {
      await writer.close();
      await cluster.empty(namespace);
    }
    return {
      id: 'watch',
      title: TITLE,
      method: `${objects} objects in one namespace, merge-patched for ${durationMs / 1000} s per run by the runner (bare undici client, round-robin over the objects), each patch carrying its send time; the informer runs in a fresh worker process and timestamps each update in its handler, so the delay includes the API server's own latency (see the bare watch floor). The API server's maximum write rate is found first (the runner alone at 1–16 patches in flight; the maximum is the fewest in flight that reach ${formatNumber(KNEE_SHARE * 100)} % of the best rate). Loads: that maximum, overload (${String(OVERLOAD)} in flight: little more rate, mostly a queue inside the server that every watcher sees, so it is held against the bare watch floor), and one write in flight. Medians of ${context.rounds} interleaved rounds. "Keeps up": every update arrived and the last within ${KEEP_UP_MS} ms of the last write.`,
      tables,
      targets,
      notes,
    };
  },
};
