/**
 * The contract between the runner and a scenario, and the round-robin loop every scenario
 * uses: each round runs every contender once, the order rotating from round to round, so
 * drift on a shared machine (other processes, etcd growing) spreads evenly over contenders.
 */
import type { BenchCluster } from './cluster.ts';
import type { BenchOptions, ScenarioId } from './options.ts';
import type { ScenarioReport } from './report.ts';

export interface BenchContext {
  readonly options: BenchOptions;
  /** Rounds to run (from --rounds, else 5, or 2 with --quick). */
  readonly rounds: number;
  /** The control plane, started on first use and shared by all scenarios of the run. */
  readonly cluster: () => Promise<BenchCluster>;
  readonly log: (message: string) => void;
}

export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  run(context: BenchContext): Promise<ScenarioReport>;
}

export interface Contender<S> {
  readonly name: string;
  /** Called before round 1, untimed: JIT warm-up, opening connections. */
  warmUp?(): Promise<void>;
  run(round: number): Promise<S>;
}

/** Samples per contender name, in round order. */
export type Samples<S> = ReadonlyMap<string, readonly S[]>;

export async function runRounds<S>(
  contenders: readonly Contender<S>[],
  rounds: number,
  log: (message: string) => void,
): Promise<Samples<S>> {
  const samples = new Map<string, S[]>(contenders.map((c) => [c.name, []]));
  for (const contender of contenders) await contender.warmUp?.();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(round + i) % contenders.length];
      if (contender === undefined) continue;
      collectGarbage();
      const sample = await contender.run(round);
      samples.get(contender.name)?.push(sample);
      log(`  round ${round + 1}/${rounds} ${contender.name}: ${describeSample(sample)}`);
    }
  }
  return samples;
}

/** Runs a full GC when the process was started with --expose-gc (the runner is). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

function describeSample(sample: unknown): string {
  if (typeof sample !== 'object' || sample === null) return String(sample);
  return Object.entries(sample)
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => `${key}=${(value as number).toFixed(Math.abs(value as number) >= 100 ? 0 : 2)}`)
    .join(' ');
}

export function samplesOf<S>(samples: Samples<S>, name: string): readonly S[] {
  return samples.get(name) ?? [];
}

/** The message of an error, for notes about contenders that could not run. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
