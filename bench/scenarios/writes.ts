/**
 * Scenario 1, writes: N creates at fixed concurrency through each client, on fresh
 * namespaces. Throughput is creates per wall-clock second; client CPU per request is the
 * process's user+system CPU time over the run divided by N (the runner process does
 * nothing else meanwhile).
 */
import { createResourceClient } from '@kubeforge/runtime';
import { CustomObjectsApi } from '@kubernetes/client-node';
import {
  createBareFetchClient,
  createBareUndiciClient,
  runConcurrently,
  type BareClient,
} from '../lib/bare-client.ts';
import {
  benchItem,
  benchItemResource,
  collectionPath,
  itemName,
  type BenchItem,
} from '../lib/bench-resource.ts';
import type { BenchCluster } from '../lib/cluster.ts';
import { checkTarget, type ScenarioReport } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Contender, type Scenario } from '../lib/scenario.ts';
import { formatMicros, formatNumber, formatRatio, median, pairedRatio } from '../lib/stats.ts';

export interface WriteSample {
  readonly perSecond: number;
  readonly cpuMicrosPerRequest: number;
}

const CONCURRENCY = 16;

/** Creates `count` objects with `create` into a fresh namespace and empties it afterwards (untimed). */
async function timedCreates(
  cluster: BenchCluster,
  count: number,
  create: (namespace: string, index: number) => Promise<unknown>,
): Promise<WriteSample> {
  const namespace = await cluster.newNamespace('writes');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await runConcurrently(count, CONCURRENCY, (i) => create(namespace, i));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await cluster.empty(namespace);
  return { perSecond: (count / elapsedMs) * 1000, cpuMicrosPerRequest: (cpu.user + cpu.system) / count };
}

export const BARE_FETCH = 'bare fetch (keep-alive)';
export const BARE_UNDICI = 'bare undici Pool.request';
const KUBEFORGE = 'kubeforge ResourceClient';
const CLIENT_NODE = 'client-node CustomObjectsApi';

export const writesScenario: Scenario = {
  id: 'writes',
  title: '1. Writes: creates at fixed concurrency',
  async run(context: BenchContext): Promise<ScenarioReport> {
    const cluster = await context.cluster();
    const count = context.options.quick ? 300 : 2000;
    const warmUpCount = context.options.quick ? 50 : 300;
    const bareFetch = await createBareFetchClient(cluster.kubeConfig);
    const bareUndici = await createBareUndiciClient(cluster.kubeConfig);
    const kubeforge = createResourceClient<BenchItem>(cluster.kubeConfig, benchItemResource);
    const customObjects = cluster.kubeConfig.makeApiClient(CustomObjectsApi);

    const bare = (client: BareClient) => (namespace: string, i: number) =>
      client.send('POST', collectionPath(namespace), benchItem(namespace, itemName(i), i));
    const creators: readonly (readonly [string, (namespace: string, i: number) => Promise<unknown>])[] = [
      [KUBEFORGE, (namespace, i) => kubeforge.create(benchItem(namespace, itemName(i), i))],
      [
        CLIENT_NODE,
        (namespace, i) =>
          customObjects.createNamespacedCustomObject({
            group: benchItemResource.group,
            version: benchItemResource.version,
            plural: benchItemResource.plural,
            namespace,
            body: benchItem(namespace, itemName(i), i),
          }),
      ],
      [BARE_FETCH, bare(bareFetch)],
      [BARE_UNDICI, bare(bareUndici)],
    ];
    const contenders: Contender<WriteSample>[] = creators.map(([name, create]) => ({
      name,
      warmUp: async () => {
        await timedCreates(cluster, warmUpCount, create);
      },
      run: () => timedCreates(cluster, count, create),
    }));
    context.log(`writes: ${count} creates at concurrency ${CONCURRENCY}, ${context.rounds} rounds`);
    let samples;
    try {
      samples = await runRounds(contenders, context.rounds, context.log);
    } finally {
      await bareFetch.close();
      await bareUndici.close();
    }

    const perSecond = (name: string): number => median(samplesOf(samples, name).map((s) => s.perSecond));
    const cpu = (name: string): number => median(samplesOf(samples, name).map((s) => s.cpuMicrosPerRequest));
    const vs = (name: string, reference: string, pick: (s: WriteSample) => number): number =>
      pairedRatio(samplesOf(samples, name).map(pick), samplesOf(samples, reference).map(pick));
    const rate = (s: WriteSample): number => s.perSecond;
    const rows = creators.map(([name]) => [
      name,
      formatNumber(perSecond(name)),
      formatRatio(vs(name, BARE_FETCH, rate)),
      formatRatio(vs(name, BARE_UNDICI, rate)),
      formatMicros(cpu(name)),
      formatRatio(vs(name, BARE_FETCH, (s) => s.cpuMicrosPerRequest)),
    ]);
    return {
      id: 'writes',
      title: this.title,
      method: `${formatNumber(count)} creates of a tiny custom resource at concurrency ${CONCURRENCY} into a fresh namespace per run; medians of ${context.rounds} interleaved rounds after one warm-up run each; ratios are medians of the per-round ratios. CPU is the client process's user+system time per request.`,
      tables: [
        {
          columns: [
            'contender',
            'creates/s',
            'vs bare fetch',
            'vs bare undici',
            'client CPU/req',
            'CPU vs bare fetch',
          ],
          rows,
        },
      ],
      targets: [
        checkTarget(
          'kubeforge >= 0.9x bare fetch throughput',
          vs(KUBEFORGE, BARE_FETCH, rate),
          { atLeast: 0.9 },
          formatRatio,
        ),
        checkTarget(
          'stricter: kubeforge >= 0.9x bare undici throughput',
          vs(KUBEFORGE, BARE_UNDICI, rate),
          { atLeast: 0.9 },
          formatRatio,
        ),
      ],
      notes: [],
    };
  },
};
