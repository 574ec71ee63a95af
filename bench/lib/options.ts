/** Command-line options of `npm run bench`. */
import { parseArgs } from 'node:util';

export const SCENARIO_IDS = [
  'writes',
  'cache-fill',
  'cache-removal',
  'watch',
  'end-to-end',
  'workqueue',
  'generator',
  'webhook',
  'recovery',
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface BenchOptions {
  /** Small sizes and fewer rounds: a smoke run that checks the harness, not a measurement. */
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioId[];
  /** Rounds per scenario; each round runs every contender once, in rotating order. */
  readonly rounds: number | undefined;
  /** Where the Markdown report goes. */
  readonly out: string;
  /** Write a V8 CPU profile of each contender's worker process into this directory (`--cpu-prof`). */
  readonly cpuProfDir: string | undefined;
  /** Re-render the report from a previous run's JSON (e.g. after editing ANALYSIS.md); runs nothing. */
  readonly render: string | undefined;
  /**
   * The kube-apiserver to run on (`--kube`): a version setup-control-plane installed (`1.34.9`)
   * or a directory of binaries; undefined takes KUBEBUILDER_ASSETS, else the default 1.20.2.
   */
  readonly kube: string | undefined;
}

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export const USAGE = `usage: npm run bench -- [--quick] [--only <ids>] [--rounds <n>] [--kube <version|dir>] [--out <file>] [--cpu-prof <dir>] [--render <json>]

  --quick          small sizes, 2 rounds: checks that every scenario runs (numbers are not meaningful)
  --only <ids>     comma-separated scenarios to run: ${SCENARIO_IDS.join(', ')}
  --rounds <n>     rounds per scenario (default 5, quick 2)
  --kube <v|dir>   the kube-apiserver to run on: a version setup-control-plane installed (1.34.9)
                   or a directory holding kube-apiserver and etcd (default: KUBEBUILDER_ASSETS, else 1.20.2)
  --out <file>     Markdown report path (default bench/RESULTS.md)
  --cpu-prof <dir> write CPU profiles of the worker processes (cache fill, watch, end to end, generator) into <dir>
  --render <json>  re-render the Markdown report from a run's JSON (written next to it) without running anything

  KUBEFORGE_USE_EXISTING_CLUSTER=1 runs against the KUBECONFIG cluster instead of a local control plane.`;

export function parseBenchOptions(argv: readonly string[], defaultOut: string): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        scenario: { type: 'string' },
        rounds: { type: 'string' },
        out: { type: 'string' },
        'cpu-prof': { type: 'string' },
        render: { type: 'string' },
        kube: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new BenchUsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`, {
      cause: error,
    });
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const only = values.only ?? values.scenario;
  const scenarios =
    only === undefined ? [...SCENARIO_IDS] : only.split(',').map((id) => scenarioId(id.trim()));
  let rounds: number | undefined;
  if (values.rounds !== undefined) {
    rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1) {
      throw new BenchUsageError(`--rounds must be a positive integer, got "${values.rounds}"\n\n${USAGE}`);
    }
  }
  return {
    quick: values.quick,
    scenarios,
    rounds,
    out: values.out ?? defaultOut,
    cpuProfDir: values['cpu-prof'],
    render: values.render,
    kube: values.kube,
  };
}

function scenarioId(id: string): ScenarioId {
  const known = SCENARIO_IDS.find((candidate) => candidate === id);
  if (known === undefined) {
    throw new BenchUsageError(
      `unknown scenario "${id}"; choose from: ${SCENARIO_IDS.join(', ')}\n\n${USAGE}`,
    );
  }
  return known;
}
