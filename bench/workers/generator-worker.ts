/**
 * A worker process running one generator once, cold (a fresh process: no compiler state, no
 * session), over a synthetic project; for kubeforge, then regenerating after edits to one
 * kind through the incremental session `kubeforge generate --watch` uses.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostics, generate, hasErrors, openProject } from '@kubeforge/generator';
import { createGenerator } from 'ts-json-schema-generator';
import { API_DIR, kindSource, type SyntheticFlavour } from '../lib/synthetic-api.ts';
import { sendToParent, workerInput } from '../lib/worker-process.ts';

export type GeneratorContender = 'kubeforge' | 'ts-json-schema-generator';

export interface GeneratorWorkerInput {
  readonly contender: GeneratorContender;
  readonly projectDir: string;
  readonly kindTypes: readonly string[];
  readonly flavour: SyntheticFlavour;
  /** kubeforge only: edits of kind 0 regenerated incrementally after the cold run. */
  readonly incrementalEdits: number;
}

export interface GeneratorResult {
  readonly type: 'generated';
  readonly coldMs: number;
  /** One per edit, in order. */
  readonly incrementalMs: readonly number[];
  /** Files (kubeforge) or schema definitions (ts-json-schema-generator) produced. */
  readonly outputs: number;
}

function runKubeforge(input: GeneratorWorkerInput): GeneratorResult {
  const started = performance.now();
  const session = openProject({ projectDir: input.projectDir });
  const cold = generate(input.projectDir, { session, scaffold: false });
  const coldMs = performance.now() - started;
  if (hasErrors(cold.diagnostics)) {
    throw new Error(`kubeforge generate reported errors:\n${formatDiagnostics(cold.diagnostics)}`);
  }
  const incrementalMs: number[] = [];
  const file = join(input.projectDir, API_DIR, 'widget-0.ts');
  for (let edit = 1; edit <= input.incrementalEdits; edit++) {
    writeFileSync(file, kindSource(0, edit, input.flavour));
    const before = performance.now();
    const report = generate(input.projectDir, { session, scaffold: false, changedFiles: [file] });
    incrementalMs.push(performance.now() - before);
    if (hasErrors(report.diagnostics)) {
      throw new Error(
        `incremental kubeforge generate reported errors:\n${formatDiagnostics(report.diagnostics)}`,
      );
    }
    if (report.written.length === 0) throw new Error(`edit ${edit} of widget-0.ts rewrote no file`);
  }
  writeFileSync(file, kindSource(0, 0, input.flavour));
  return { type: 'generated', coldMs, incrementalMs, outputs: cold.written.length + cold.unchanged.length };
}

function runTsJsonSchemaGenerator(input: GeneratorWorkerInput): GeneratorResult {
  const started = performance.now();
  const schema = createGenerator({
    path: join(input.projectDir, API_DIR, '*.ts'),
    tsconfig: join(input.projectDir, 'tsconfig.json'),
    type: [...input.kindTypes],
  }).createSchema([...input.kindTypes]);
  const text = JSON.stringify(schema, null, 2);
  writeFileSync(join(input.projectDir, 'schema.json'), text);
  const coldMs = performance.now() - started;
  return {
    type: 'generated',
    coldMs,
    incrementalMs: [],
    outputs: Object.keys(schema.definitions ?? {}).length,
  };
}

const input = workerInput() as GeneratorWorkerInput;
const result = input.contender === 'kubeforge' ? runKubeforge(input) : runTsJsonSchemaGenerator(input);
await sendToParent(result);
