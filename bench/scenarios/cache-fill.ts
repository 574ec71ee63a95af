/**
 * Scenario 2, cache fill: an informer over a namespace of N BenchItems, from start to synced,
 * and the memory its cache holds afterwards; then a full and a metadata-only informer over
 * Secrets carrying 8 KiB of data each. Every run is a fresh worker process (see
 * workers/informer-worker.ts), so heap and RSS growth belong to that contender alone.
 */
import { checkTarget, type ScenarioReport, type Table, type TargetCheck } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Contender, type Scenario } from '../lib/scenario.ts';
import { formatMiB, formatMs, formatNumber, formatRatio, median, pairedRatio } from '../lib/stats.ts';
import { waitForQuietMachine } from '../lib/machine.ts';
import { startWorker } from '../lib/worker-process.ts';
import type {
  FillResult,
  InformerContender,
  InformerWorkerInput,
  InformerWorkerMessage,
} from '../workers/informer-worker.ts';

const WORKER = new URL('../workers/informer-worker.ts', import.meta.url);

const CONTENDERS: readonly (readonly [InformerContender, string])[] = [
  ['kubeforge', 'kubeforge informer (defaults)'],
  ['kubeforge-keep-managed-fields', 'kubeforge informer + keepManagedFields'],
  ['kubeforge-watch-list', 'kubeforge informer + watchList'],
  ['client-node', 'client-node makeInformer'],
];

const SECRET_CONTENDERS: readonly (readonly [InformerContender, string])[] = [
  ['kubeforge-secrets', 'kubeforge informer (full Secrets)'],
  ['kubeforge-secrets-metadata', 'kubeforge metadata-only informer'],
];

/** Bytes of data per Secret in the metadata-only rows. */
const SECRET_BYTES = 8192;

const nameOf = (id: InformerContender): string =>
  [...CONTENDERS, ...SECRET_CONTENDERS].find(([c]) => c === id)?.[1] ?? id;

async function fill(
  input: InformerWorkerInput,
  cpuProfDir: string | undefined,
  profileName: string,
): Promise<FillResult> {
  // Each run starts on a quiet machine: what the previous contender set off in the API server
  // (garbage collection after a large list) is not billed to this one.
  await waitForQuietMachine();
  const worker = startWorker<never, InformerWorkerMessage>(WORKER, input, { cpuProfDir, profileName });
  try {
    const message = await worker.next();
    if (message.type !== 'filled')
      throw new Error(`informer worker answered ${message.type}, expected filled`);
    if (message.cached !== input.expected) {
      throw new Error(`${input.contender} cached ${message.cached} objects, expected ${input.expected}`);
    }
    await worker.exited();
    return message;
  } catch (error) {
    worker.kill();
    throw error;
  }
}

const TITLE = '2. Cache fill: informer time to synced and memory held';

export const cacheFillScenario: Scenario = {
  id: 'cache-fill',
  title: TITLE,
  async run(context: BenchContext): Promise<ScenarioReport> {
    const cluster = await context.cluster();
    const sizes = context.options.quick ? [300, 1000] : [5000, 20_000, 100_000];
    const tables: Table[] = [];
    const targets: TargetCheck[] = [];
    for (const size of sizes) {
      const namespace = await cluster.newNamespace(`fill-${size}`);
      const filling = performance.now();
      await cluster.fill(namespace, size);
      context.log(
        `cache fill: created ${size} objects in ${namespace} in ${formatMs(performance.now() - filling)} (untimed fixture)`,
      );
      const contenders: Contender<FillResult>[] = CONTENDERS.map(([contender, name]) => ({
        name,
        run: (round) =>
          fill(
            { mode: 'fill', contender, kubeconfigPath: cluster.kubeconfigPath, namespace, expected: size },
            context.options.cpuProfDir,
            `cache-fill-${size}-${contender}-${round + 1}`,
          ),
      }));
      const samples = await runRounds(contenders, context.rounds, context.log);
      const stat = (name: string, pick: (r: FillResult) => number): number =>
        median(samplesOf(samples, name).map(pick));
      const reference = nameOf('client-node');
      const vs = (name: string, pick: (r: FillResult) => number): number =>
        pairedRatio(samplesOf(samples, name).map(pick), samplesOf(samples, reference).map(pick));
      const rows = CONTENDERS.map(([, name]) => {
        const syncMs = stat(name, (r) => r.syncMs);
        const heap = stat(name, (r) => r.heapGrowth);
        const rss = stat(name, (r) => r.rssGrowth);
        return [
          name,
          formatMs(syncMs),
          formatRatio(vs(name, (r) => r.syncMs)),
          formatMiB(heap),
          formatRatio(vs(name, (r) => r.heapGrowth)),
          formatMiB(rss),
          formatRatio(vs(name, (r) => r.rssGrowth)),
        ];
      });
      tables.push({
        caption: `${formatNumber(size)} objects`,
        columns: [
          'contender',
          'time to synced',
          'vs client-node',
          'heap growth (after GC)',
          'vs client-node',
          'RSS growth',
          'vs client-node',
        ],
        rows,
      });
      const kubeforge = nameOf('kubeforge');
      targets.push(
        checkTarget(
          `${formatNumber(size)} objects: kubeforge time to synced <= 0.4x client-node`,
          vs(kubeforge, (r) => r.syncMs),
          { atMost: 0.4 },
          formatRatio,
        ),
        checkTarget(
          `${formatNumber(size)} objects: kubeforge heap growth <= 0.5x client-node`,
          vs(kubeforge, (r) => r.heapGrowth),
          { atMost: 0.5 },
          formatRatio,
        ),
        checkTarget(
          `${formatNumber(size)} objects: kubeforge RSS growth <= 1.0x client-node`,
          vs(kubeforge, (r) => r.rssGrowth),
          { atMost: 1.0 },
          formatRatio,
        ),
      );
      await cluster.empty(namespace);
    }
    const metadataOnly = await measureMetadataOnly(context, cluster);
    tables.push(metadataOnly.table);
    targets.push(metadataOnly.target);
    return {
      id: 'cache-fill',
      title: TITLE,
      method: `Metadata-only rows: ${context.options.quick ? 500 : formatNumber(20_000)} Secrets of ${SECRET_BYTES / 1024} KiB data each in one namespace, a full kubeforge informer against a metadata-only one (PartialObjectMetadata through content negotiation), same worker and measures. Cache-fill rows: an informer over one namespace holding N BenchItems (created beforehand, untimed), each run in a fresh worker process: time from start to synced, and heap used after a full GC and RSS, each minus the same figures taken just before starting the informer (both libraries loaded, each having made one small list through its own HTTP stack, and kubeforge's having read 8 MB of list pages with the bodies discarded so that V8 has compiled undici's WebAssembly HTTP parser with its optimizing tier, which costs about 14 MiB of compiler memory once per process, whatever the cache holds; client-node's parser is Node's native one. So code compiled on first use is not counted as cache. The machine is let go quiet again after the warm-up). Each run starts once the machine's CPUs are quiet (under 15 % busy over 200 ms, at most 5 s), so what one contender set off in the API server is not billed to the next. Medians of ${context.rounds} interleaved rounds; ratios are medians of the per-round ratios. client-node's informer lists in one request; kubeforge's lists in pages of 500 (a server with its watch cache may answer the first page with everything); with watchList it streams the initial state in one watch where the server offers watch-list (Kubernetes >= 1.32 by default) and lists like the defaults where the server refuses it (the Machine section names the server).`,
      tables,
      targets,
      notes: [],
    };
  },
};

async function measureMetadataOnly(
  context: BenchContext,
  cluster: Awaited<ReturnType<BenchContext['cluster']>>,
): Promise<{ table: Table; target: TargetCheck }> {
  const count = context.options.quick ? 500 : 20_000;
  const namespace = await cluster.newNamespace('secrets');
  const filling = performance.now();
  await cluster.fillSecrets(namespace, count, SECRET_BYTES);
  context.log(
    `cache fill: created ${count} Secrets of ${SECRET_BYTES} bytes in ${namespace} in ${formatMs(performance.now() - filling)} (untimed fixture)`,
  );
  const contenders: Contender<FillResult>[] = SECRET_CONTENDERS.map(([contender, name]) => ({
    name,
    run: (round) =>
      fill(
        { mode: 'fill', contender, kubeconfigPath: cluster.kubeconfigPath, namespace, expected: count },
        context.options.cpuProfDir,
        `cache-fill-secrets-${contender}-${round + 1}`,
      ),
  }));
  const samples = await runRounds(contenders, context.rounds, context.log);
  const full = nameOf('kubeforge-secrets');
  const stat = (name: string, pick: (r: FillResult) => number): number =>
    median(samplesOf(samples, name).map(pick));
  const vs = (name: string, pick: (r: FillResult) => number): number =>
    pairedRatio(samplesOf(samples, name).map(pick), samplesOf(samples, full).map(pick));
  const rows = SECRET_CONTENDERS.map(([, name]) => [
    name,
    formatMs(stat(name, (r) => r.syncMs)),
    formatRatio(vs(name, (r) => r.syncMs)),
    formatMiB(stat(name, (r) => r.heapGrowth)),
    formatRatio(vs(name, (r) => r.heapGrowth)),
    formatMiB(stat(name, (r) => r.rssGrowth)),
    formatRatio(vs(name, (r) => r.rssGrowth)),
  ]);
  return {
    table: {
      caption: `${formatNumber(count)} Secrets of ${SECRET_BYTES / 1024} KiB: full against metadata-only`,
      columns: [
        'contender',
        'time to synced',
        'vs full',
        'heap growth (after GC)',
        'vs full',
        'RSS growth',
        'vs full',
      ],
      rows,
    },
    target: checkTarget(
      `${formatNumber(count)} Secrets of ${SECRET_BYTES / 1024} KiB: metadata-only heap growth <= 0.05x a full informer's`,
      vs(nameOf('kubeforge-secrets-metadata'), (r) => r.heapGrowth),
      { atMost: 0.05 },
      formatRatio,
    ),
  };
}
