/**
 * Scenario 7, webhooks: what kubeforge's admission webhooks add to a write. The webhooks are
 * served by a manager in a worker process (lib/bench-webhooks.ts, workers/webhook-worker.ts)
 * that the API server calls over loopback HTTPS (`installWebhooks`); the runner creates
 * BenchItems with a bare undici client, timing each create, in a fresh namespace per run.
 * The three contenders write the same kind and the same object and differ only in a label
 * that one webhook configuration selects: no webhook, kubeforge's validating webhook,
 * kubeforge's defaulting webhook (a JSON patch answer the server applies).
 *
 * The load is the server's maximum write rate for the plain write, found as the watch
 * scenario finds it: creates at 1–16 in flight, the fewest that reach 90 % of the best rate.
 */
import { installWebhooks } from '@kubeforge/testing';
import {
  BareHttpError,
  createBareUndiciClient,
  runConcurrently,
  runForDuration,
} from '../lib/bare-client.ts';
import { benchItem, collectionPath, itemName, type BenchItem } from '../lib/bench-resource.ts';
import { benchWebhookConfigurations, WEBHOOK_LABEL, type WebhookMode } from '../lib/bench-webhooks.ts';
import { checkTarget, type ScenarioReport, type Table } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Contender, type Scenario } from '../lib/scenario.ts';
import {
  formatMicros,
  formatMs,
  formatNumber,
  formatRatio,
  kneeOf,
  median,
  pairedRatio,
  percentile,
} from '../lib/stats.ts';
import { startWorker } from '../lib/worker-process.ts';
import type {
  WebhookWorkerCommand,
  WebhookWorkerInput,
  WebhookWorkerMessage,
} from '../workers/webhook-worker.ts';

const WORKER = new URL('../workers/webhook-worker.ts', import.meta.url);
const TITLE = '7. Webhooks: what an admission webhook adds to a create';

/** Creates in flight tried to find the server's maximum write rate. */
const RAMP = [1, 2, 4, 8, 16] as const;
const MAX_IN_FLIGHT = 16;
const KNEE_SHARE = 0.9;
/** How long the API server may take to pick up the configurations. */
const TAKE_EFFECT_MS = 30_000;

interface CreateSample {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The webhook server process's user+system CPU time per create (about 0 without a webhook). */
  readonly serverCpuMicrosPerCreate: number;
}

const CONTENDERS: readonly (readonly [WebhookMode, string])[] = [
  ['none', 'no webhook'],
  ['validating', 'kubeforge validating webhook'],
  ['defaulting', 'kubeforge defaulting webhook'],
];
const PLAIN = 'no webhook';

function labelled(namespace: string, index: number, mode: WebhookMode, value = index): BenchItem {
  const item = benchItem(namespace, itemName(index), value);
  item.metadata.labels = { [WEBHOOK_LABEL]: mode };
  return item;
}

export const webhookScenario: Scenario = {
  id: 'webhook',
  title: TITLE,
  async run(context: BenchContext): Promise<ScenarioReport> {
    const cluster = await context.cluster();
    const count = context.options.quick ? 300 : 2000;
    const warmUpCount = context.options.quick ? 50 : 300;
    const rampMs = context.options.quick ? 1000 : 2000;
    const writer = await createBareUndiciClient(cluster.kubeConfig);
    const installed = await installWebhooks(cluster.kubeConfig, {
      configurations: benchWebhookConfigurations,
    });
    const input: WebhookWorkerInput = {
      kubeconfigPath: cluster.kubeconfigPath,
      port: installed.port,
      certDir: installed.certDir,
    };
    const worker = startWorker<WebhookWorkerCommand, WebhookWorkerMessage>(WORKER, input, {
      cpuProfDir: context.options.cpuProfDir,
      profileName: 'webhook-server',
    });

    const serverCpu = async (): Promise<number> => {
      worker.send({ type: 'cpu' });
      const answer = await worker.next(30_000);
      if (answer.type !== 'cpu') throw new Error(`webhook worker answered ${answer.type}, expected cpu`);
      return answer.micros;
    };

    /** `count` creates at `concurrency` into a fresh namespace, each timed; emptied afterwards. */
    const timedCreates = async (mode: WebhookMode, n: number, concurrency: number): Promise<CreateSample> => {
      const namespace = await cluster.newNamespace('webhook');
      const path = collectionPath(namespace);
      const latencies: number[] = [];
      const cpuBefore = await serverCpu();
      const started = performance.now();
      await runConcurrently(n, concurrency, async (i) => {
        const sent = performance.now();
        await writer.send('POST', path, labelled(namespace, i, mode));
        latencies.push(performance.now() - sent);
      });
      const elapsedMs = performance.now() - started;
      const cpuMicros = (await serverCpu()) - cpuBefore;
      await cluster.empty(namespace);
      return {
        perSecond: (n / elapsedMs) * 1000,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        serverCpuMicrosPerCreate: cpuMicros / n,
      };
    };

    /** Creates per second of the plain write at each concurrency: two interleaved passes, medians. */
    const ramp = async (): Promise<Map<number, number>> => {
      const rates = new Map<number, number[]>();
      for (let pass = 0; pass < 2; pass++) {
        for (const concurrency of RAMP) {
          const namespace = await cluster.newNamespace('webhook-ramp');
          const path = collectionPath(namespace);
          const started = performance.now();
          const written = await runForDuration(rampMs, concurrency, (i) =>
            writer.send('POST', path, labelled(namespace, i, 'none')),
          );
          const rate = (written / (performance.now() - started)) * 1000;
          rates.set(concurrency, [...(rates.get(concurrency) ?? []), rate]);
          await cluster.empty(namespace);
        }
      }
      return new Map([...rates].map(([concurrency, values]) => [concurrency, median(values)]));
    };

    /** Waits until both webhooks answer: an invalid object is refused, a default is set. */
    const takeEffect = async (): Promise<void> => {
      const namespace = await cluster.newNamespace('webhook-probe');
      const path = collectionPath(namespace);
      const deadline = performance.now() + TAKE_EFFECT_MS;
      let validated = false;
      let defaulted = false;
      for (let i = 0; !(validated && defaulted); i++) {
        if (performance.now() > deadline) {
          throw new Error(`the webhooks did not take effect within ${TAKE_EFFECT_MS} ms`);
        }
        if (!validated) {
          validated = await writer.send('POST', path, labelled(namespace, 2 * i, 'validating', -1)).then(
            () => false,
            (error: unknown) => error instanceof BareHttpError && error.statusCode === 422,
          );
        }
        if (!defaulted) {
          const created = (await writer.send(
            'POST',
            path,
            labelled(namespace, 2 * i + 1, 'defaulting'),
          )) as BenchItem;
          defaulted = created.spec.sentAt === 0;
        }
        if (!(validated && defaulted)) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await cluster.empty(namespace);
    };

    const tables: Table[] = [];
    let samples;
    let knee: number;
    try {
      const ready = await worker.next(60_000);
      if (ready.type !== 'ready') throw new Error(`webhook worker answered ${ready.type}, expected ready`);
      await takeEffect();
      const rates = await ramp();
      const best = Math.max(...rates.values());
      knee = kneeOf(rates, KNEE_SHARE) ?? MAX_IN_FLIGHT;
      context.log(
        `webhook: create rate by creates in flight ${[...rates].map(([c, r]) => `${String(c)}: ${formatNumber(r)}/s`).join(', ')}; maximum at ${String(knee)}`,
      );
      tables.push({
        caption: `the API server's create rate without a webhook by creates in flight (the maximum: the fewest in flight reaching ${formatNumber(KNEE_SHARE * 100)} % of the best)`,
        columns: ['creates in flight', 'creates/s', 'vs best'],
        rows: [...rates].map(([c, r]) => [
          c === knee ? `**${String(c)}** (maximum)` : String(c),
          formatNumber(r),
          `${formatNumber((r / best) * 100)} %`,
        ]),
      });
      const concurrency = knee;
      const contenders: Contender<CreateSample>[] = CONTENDERS.map(([mode, name]) => ({
        name,
        warmUp: async () => {
          await timedCreates(mode, warmUpCount, concurrency);
        },
        run: () => timedCreates(mode, count, concurrency),
      }));
      context.log(`webhook: ${count} creates at ${String(concurrency)} in flight, ${context.rounds} rounds`);
      samples = await runRounds(contenders, context.rounds, context.log);
      worker.send({ type: 'stop' });
      const stopped = await worker.next(30_000);
      if (stopped.type !== 'stopped')
        throw new Error(`webhook worker answered ${stopped.type}, expected stopped`);
      await worker.exited();
    } catch (error) {
      worker.kill();
      throw error;
    } finally {
      await writer.close();
      await installed.uninstall();
    }

    const stat = (name: string, pick: (s: CreateSample) => number): number =>
      median(samplesOf(samples, name).map(pick));
    const vsPlain = (name: string, pick: (s: CreateSample) => number): number =>
      pairedRatio(samplesOf(samples, name).map(pick), samplesOf(samples, PLAIN).map(pick));
    const p50 = (s: CreateSample): number => s.p50Ms;
    const p99 = (s: CreateSample): number => s.p99Ms;
    const rate = (s: CreateSample): number => s.perSecond;
    tables.push({
      caption: `creates at the maximum write rate (${String(knee)} in flight)`,
      columns: [
        'contender',
        'creates/s',
        'vs none',
        'p50',
        'p50 vs none',
        'p99',
        'p99 vs none',
        'webhook server CPU/create',
      ],
      rows: CONTENDERS.map(([, name]) => [
        name,
        formatNumber(stat(name, rate)),
        formatRatio(vsPlain(name, rate)),
        formatMs(stat(name, p50)),
        formatRatio(vsPlain(name, p50)),
        formatMs(stat(name, p99)),
        formatRatio(vsPlain(name, p99)),
        formatMicros(stat(name, (s) => s.serverCpuMicrosPerCreate)),
      ]),
    });
    const added = (name: string, pick: (s: CreateSample) => number): string =>
      formatMs(stat(name, pick) - stat(PLAIN, pick));
    return {
      id: 'webhook',
      title: TITLE,
      method: `${formatNumber(count)} creates of a tiny custom resource (BenchItem) per run into a fresh namespace, by the runner's bare undici client, each create timed; the three contenders write the same kind and object, differing only in a label that selects kubeforge's validating webhook, its defaulting webhook (a JSON patch), or neither. The webhooks are served by a manager (\`createManager({ webhook })\`, \`addWebhook\`) in a worker process over loopback HTTPS (\`installWebhooks\`), \`failurePolicy: Fail\`. The load is the server's maximum create rate without a webhook (the fewest creates in flight reaching ${formatNumber(KNEE_SHARE * 100)} % of the best rate, from 1 to 16). The webhook server's CPU is its process's user+system time over a run divided by the creates. Medians of ${context.rounds} interleaved rounds after one warm-up run each; ratios are medians of the per-round ratios.`,
      tables,
      targets: [
        checkTarget(
          'p99 create with kubeforge validating webhook <= 2x without, at the maximum write rate',
          vsPlain('kubeforge validating webhook', p99),
          { atMost: 2 },
          formatRatio,
        ),
        checkTarget(
          'p99 create with kubeforge defaulting webhook <= 2x without, at the maximum write rate',
          vsPlain('kubeforge defaulting webhook', p99),
          { atMost: 2 },
          formatRatio,
        ),
        checkTarget(
          'creates/s with kubeforge validating webhook >= 0.5x without, at the same concurrency',
          vsPlain('kubeforge validating webhook', rate),
          { atLeast: 0.5 },
          formatRatio,
        ),
      ],
      notes: [
        `What a webhook adds to a create at ${String(knee)} in flight (differences of the medians; the ratios above are per-round, so a noisy round moves them apart): validating p50 +${added('kubeforge validating webhook', p50)}, p99 +${added('kubeforge validating webhook', p99)}; defaulting p50 +${added('kubeforge defaulting webhook', p50)}, p99 +${added('kubeforge defaulting webhook', p99)} (the API server's admission call: a TLS connection from its pool, the AdmissionReview both ways, and for defaulting the patch applied and re-validated).`,
      ],
    };
  },
};
