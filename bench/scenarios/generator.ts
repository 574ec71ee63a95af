/**
 * Scenario 6, generator: `kubeforge generate` (CRDs, RBAC and typed code; no scaffolds) over
 * synthetic projects of 1, 10 and 50 kinds, cold in a fresh process each run, vs
 * ts-json-schema-generator producing only the JSON schemas of the same kind types. Then the
 * incremental path of `kubeforge generate --watch`: one kind's file edited, regenerated
 * through the same session. The same sizes again with kinds that embed core/v1 types
 * (PodTemplateSpec, ResourceRequirements, EnvVar[], Toleration[], Affinity), and 50 kinds
 * importing the object model from the `@kubeforge/runtime` root instead of `/api`.
 */
import { rmSync } from 'node:fs';
import { checkTarget, type ScenarioReport, type Table, type TargetCheck } from '../lib/report.ts';
import { runRounds, samplesOf, type BenchContext, type Contender, type Scenario } from '../lib/scenario.ts';
import { formatMs, formatNumber, formatRatio, median, pairedRatio } from '../lib/stats.ts';
import { createSyntheticProject, type SyntheticFlavour } from '../lib/synthetic-api.ts';
import { startWorker } from '../lib/worker-process.ts';
import type {
  GeneratorContender,
  GeneratorResult,
  GeneratorWorkerInput,
} from '../workers/generator-worker.ts';

const WORKER = new URL('../workers/generator-worker.ts', import.meta.url);
const TITLE = '6. Generator: cold and incremental generation';
const INCREMENTAL_EDITS = 5;

const flavourLabels: Readonly<Record<SyntheticFlavour, string>> = {
  plain: '',
  'embeds-core-v1': ' embedding core/v1',
  'runtime-root': ' importing the runtime root',
};

const CONTENDERS: readonly (readonly [GeneratorContender, string])[] = [
  ['kubeforge', 'kubeforge generate (CRDs + RBAC + typed code)'],
  ['ts-json-schema-generator', 'ts-json-schema-generator (schemas only)'],
];

async function generateOnce(
  input: GeneratorWorkerInput,
  cpuProfDir: string | undefined,
  profileName: string,
): Promise<GeneratorResult> {
  const worker = startWorker<never, GeneratorResult>(WORKER, input, { cpuProfDir, profileName });
  try {
    const result = await worker.next();
    await worker.exited();
    return result;
  } catch (error) {
    worker.kill();
    throw error;
  }
}

export const generatorScenario: Scenario = {
  id: 'generator',
  title: TITLE,
  async run(context: BenchContext): Promise<ScenarioReport> {
    const projects: readonly (readonly [number, SyntheticFlavour])[] = context.options.quick
      ? [
          [1, 'plain'],
          [1, 'embeds-core-v1'],
          [1, 'runtime-root'],
        ]
      : [
          [1, 'plain'],
          [10, 'plain'],
          [50, 'plain'],
          [1, 'embeds-core-v1'],
          [10, 'embeds-core-v1'],
          [50, 'embeds-core-v1'],
          [50, 'runtime-root'],
        ];
    // Cold runs take seconds each and vary little between rounds: at most 3.
    const rounds = Math.min(context.rounds, 3);
    const rows: string[][] = [];
    const targets: TargetCheck[] = [];
    const incrementalRows: string[][] = [];
    for (const [kinds, flavour] of projects) {
      const project = createSyntheticProject(kinds, flavour);
      const label = `${kinds} kinds${flavourLabels[flavour]}`;
      try {
        const contenders: Contender<GeneratorResult>[] = CONTENDERS.map(([contender, name]) => ({
          name,
          run: (round) =>
            generateOnce(
              {
                contender,
                projectDir: project.dir,
                kindTypes: project.kindTypes,
                flavour: project.flavour,
                incrementalEdits: contender === 'kubeforge' ? INCREMENTAL_EDITS : 0,
              },
              context.options.cpuProfDir,
              `generator-${kinds}-${flavour}-${contender}-${round + 1}`,
            ),
        }));
        context.log(`generator: ${label} in ${project.dir}`);
        const samples = await runRounds(contenders, rounds, context.log);
        const [kubeforgeName, reference] = [CONTENDERS[0]?.[1] ?? '', CONTENDERS[1]?.[1] ?? ''];
        const cold = (name: string): number => median(samplesOf(samples, name).map((s) => s.coldMs));
        const vs = (name: string): number =>
          pairedRatio(
            samplesOf(samples, name).map((s) => s.coldMs),
            samplesOf(samples, reference).map((s) => s.coldMs),
          );
        for (const [, name] of CONTENDERS) {
          rows.push([
            `${label}: ${name}`,
            formatMs(cold(name)),
            formatRatio(vs(name)),
            formatNumber(median(samplesOf(samples, name).map((s) => s.outputs))),
          ]);
        }
        const incremental = samplesOf(samples, kubeforgeName).flatMap((s) => s.incrementalMs);
        incrementalRows.push([
          `${label}: one kind edited`,
          formatMs(median(incremental)),
          formatMs(Math.max(...incremental)),
          formatNumber(incremental.length),
        ]);
        targets.push(
          checkTarget(
            `${label}: kubeforge cold no slower than ts-json-schema-generator (<= 1.0x)`,
            vs(kubeforgeName),
            { atMost: 1 },
            formatRatio,
          ),
          checkTarget(
            `${label}: incremental regeneration of one changed kind < 300 ms`,
            median(incremental),
            { below: 300 },
            formatMs,
          ),
        );
      } finally {
        rmSync(project.dir, { recursive: true, force: true });
      }
    }
    const tables: Table[] = [
      {
        caption: 'Cold (fresh process, module loading excluded)',
        columns: ['project: contender', 'time', 'vs ts-json-schema-generator', 'outputs'],
        rows,
      },
      {
        caption: 'Incremental (kubeforge generate --watch session, after the cold run)',
        columns: ['project', 'median', 'max', 'edits measured'],
        rows: incrementalRows,
      },
    ];
    return {
      id: 'generator',
      title: TITLE,
      method: `Synthetic projects of N kinds (one file each, spec and status with markers, enums, nested objects, arrays, maps); "embedding core/v1": each spec also holds a PodTemplateSpec, ResourceRequirements, EnvVar[], Toleration[] and an Affinity from @kubeforge/api/core/v1 (a ~600 KB CRD per kind); "importing the runtime root": ObjectMeta imported from @kubeforge/runtime instead of @kubeforge/runtime/api. Cold: each run is a fresh worker process; the time covers loading the TypeScript program through writing the outputs. kubeforge emits CRDs, RBAC and typed client code (no controller scaffolds); ts-json-schema-generator emits one JSON schema file for the kind types. Incremental: after its cold run, the kubeforge worker edits one kind (adds a field) ${INCREMENTAL_EDITS} times and regenerates through the same session. Medians of ${rounds} interleaved rounds; ratios are medians of the per-round ratios.`,
      tables,
      targets,
      notes: ['"outputs": files written (kubeforge) or schema definitions (ts-json-schema-generator).'],
    };
  },
};
