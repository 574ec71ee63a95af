/**
 * `npm run bench`: kubeforge side by side with @kubernetes/client-node and with bare HTTP
 * clients, on a real local control plane, in one run. Prints a table per scenario and writes
 * bench/RESULTS.md with the machine it ran on. See lib/options.ts for the flags
 * (`--quick`, `--only <ids>`, `--rounds <n>`, `--out <file>`, `--cpu-prof <dir>`).
 *
 * The packages run from their TypeScript sources (`--conditions=kubeforge-source`, as the tests
 * do): the same JavaScript as the build once types are stripped, and immune to another process
 * rebuilding dist/ halfway through a run. `npm run bench` type-checks (builds) first.
 *
 * Timing is never asserted anywhere: the machine is shared and noisy, so every target is a
 * ratio between contenders measured in the same run, interleaved, as medians of rounds.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { binaryVersions, controlPlaneDir, defaultControlPlaneDir, resolveBinaries } from '@kubeforge/testing';
import { startBenchCluster, type BenchCluster } from './lib/cluster.ts';
import { describeMachine, machineInfo } from './lib/machine.ts';
import {
  BenchUsageError,
  parseBenchOptions,
  USAGE,
  type BenchOptions,
  type ScenarioId,
} from './lib/options.ts';
import {
  renderMarkdown,
  renderScenarioMarkdown,
  renderScenarioText,
  type ScenarioReport,
  type Table,
} from './lib/report.ts';
import { messageOf, type BenchContext, type Scenario } from './lib/scenario.ts';
import { cacheFillScenario } from './scenarios/cache-fill.ts';
import { cacheRemovalScenario } from './scenarios/cache-removal.ts';
import { endToEndScenario } from './scenarios/end-to-end.ts';
import { generatorScenario } from './scenarios/generator.ts';
import { recoveryScenario } from './scenarios/recovery.ts';
import { watchScenario } from './scenarios/watch.ts';
import { webhookScenario } from './scenarios/webhook.ts';
import { workqueueScenario } from './scenarios/workqueue.ts';
import { writesScenario } from './scenarios/writes.ts';

const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  writes: writesScenario,
  'cache-fill': cacheFillScenario,
  'cache-removal': cacheRemovalScenario,
  watch: watchScenario,
  'end-to-end': endToEndScenario,
  workqueue: workqueueScenario,
  generator: generatorScenario,
  webhook: webhookScenario,
  recovery: recoveryScenario,
};

const DEFAULT_OUT = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
/** Hand-written profiling notes, copied into every report. */
const ANALYSIS = fileURLToPath(new URL('./ANALYSIS.md', import.meta.url));

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchOptions(process.argv.slice(2), DEFAULT_OUT);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.render !== undefined) {
    const saved = JSON.parse(readFileSync(options.render, 'utf8')) as SavedRun;
    writeFileSync(options.out, renderResults(saved));
    log(`rendered ${options.render} into ${options.out}`);
    return 0;
  }
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    log('warning: run with --expose-gc (npm run bench does) so rounds start from a collected heap');
  }
  const machine = machineInfo();
  const binaryDir = kubeDir(options.kube);
  const started = performance.now();
  let clusterPromise: Promise<BenchCluster> | undefined;
  const context: BenchContext = {
    options,
    rounds: options.rounds ?? (options.quick ? 2 : 5),
    cluster: () => (clusterPromise ??= startBenchCluster(log, binaryDir)),
    log,
  };

  const reports: ScenarioReport[] = [];
  let failed = false;
  try {
    for (const id of options.scenarios) {
      const scenario = SCENARIOS[id];
      log(`scenario ${scenario.title}`);
      let report: ScenarioReport;
      try {
        report = await scenario.run(context);
      } catch (error) {
        failed = true;
        log(
          `scenario ${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        report = {
          id,
          title: scenario.title,
          method: '',
          tables: [],
          targets: [],
          notes: [`The scenario failed: ${messageOf(error)}`],
        };
      }
      reports.push(report);
      process.stdout.write(`\n${renderScenarioText(report)}\n`);
    }
  } finally {
    if (clusterPromise !== undefined) await (await clusterPromise).stop();
  }

  const saved: SavedRun = {
    quick: options.quick,
    scenarios: options.scenarios,
    machine: [...describeMachine(machine), `- Kubernetes: ${describeServer(binaryDir)}`],
    durationS: (performance.now() - started) / 1000,
    reports,
  };
  const json = options.out.replace(/\.md$/, '') + '.json';
  // Formatted like the repository's other JSON, so `npm run lint` (prettier --check) accepts it.
  const prettierConfig = (await resolveConfig(json)) ?? {};
  writeFileSync(
    json,
    await format(JSON.stringify(saved), { ...prettierConfig, parser: 'json', filepath: json }),
  );
  writeFileSync(options.out, renderResults(saved));
  log(`wrote ${options.out} and ${json} (${saved.durationS.toFixed(0)} s)`);
  return failed ? 1 : 0;
}

/** `--kube 1.34.9` is the version's directory in the setup command's cache; anything else a path. */
function kubeDir(kube: string | undefined): string | undefined {
  if (kube === undefined) return undefined;
  return /^\d+\.\d+\.\d+$/.test(kube) ? defaultControlPlaneDir(process.env, kube) : kube;
}

/** The server a run uses, for RESULTS.md: versions asked of the binaries, or the existing cluster. */
function describeServer(binaryDir: string | undefined): string {
  if (/^(1|true)$/i.test(process.env.KUBEFORGE_USE_EXISTING_CLUSTER ?? '')) {
    return 'the KUBECONFIG cluster (KUBEFORGE_USE_EXISTING_CLUSTER=1)';
  }
  try {
    const binaries = resolveBinaries(binaryDir ?? controlPlaneDir());
    const versions = binaryVersions(binaries);
    return `kube-apiserver ${versions.kubeApiServer.gitVersion}, etcd ${versions.etcd.gitVersion} (${binaries.dir})`;
  } catch (error) {
    return `not resolved: ${messageOf(error)}`;
  }
}

/** What a run produced, saved as JSON next to the report so it can be re-rendered. */
interface SavedRun {
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioId[];
  readonly machine: readonly string[];
  readonly durationS: number;
  readonly reports: readonly ScenarioReport[];
}

function renderResults({ quick, scenarios, machine, durationS, reports }: SavedRun): string {
  const summary: Table = {
    caption: 'All targets',
    columns: ['scenario', 'target', 'measured', 'status'],
    rows: reports.flatMap((report) =>
      report.targets.map((t) => [
        report.title,
        t.target,
        t.measured,
        t.status === 'met' ? 'MET' : t.status === 'missed' ? 'MISSED' : t.status,
      ]),
    ),
  };
  const mode = quick
    ? '**Quick run** (`npm run bench -- --quick`): small sizes, a smoke test of the harness. Numbers are not meaningful; run `npm run bench` for measurements.'
    : 'Full run (`npm run bench`).';
  return [
    '# kubeforge benchmarks',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Every contender runs in the same run against the same local control plane (etcd + kube-apiserver on loopback), interleaved round by round; tables show medians and ratios between contenders, which is what the targets are about. Absolute numbers depend on the machine, which is shared and noisy.',
    mode,
    `Scenarios: ${scenarios.join(', ')}. Duration: ${durationS.toFixed(0)} s.`,
    '## Machine',
    machine.join('\n'),
    renderMarkdown(summary),
    ...reports.map(renderScenarioMarkdown),
    existsSync(ANALYSIS) ? readFileSync(ANALYSIS, 'utf8').trim() : '',
    '',
  ].join('\n\n');
}

process.exitCode = await main();
