/**
 * `kubeforge generate` end to end: parse -> model -> every emitter (CRDs, RBAC, typed code,
 * controller scaffolds) -> the writer. Generated files are rewritten only when their contents
 * change, generated files of kinds that no longer exist are removed, user-owned files are
 * never overwritten, and the same sources always give the same bytes.
 *
 * Controllers are scaffolded for kinds that have none yet (`src/controllers/<kind>.controller.ts`
 * missing and no `register<Kind>Controller(` call in `src/main.ts`), together with their
 * registration in `src/main.ts`. Check mode never scaffolds: a missing controller is the
 * user's choice, not stale output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/index.ts';
import { emitCode, generatedCodeDir } from './emit/code/index.ts';
import type { OutputFile } from './emit/index.ts';
import {
  controllerRegistration,
  emitControllerScaffold,
  mainFile,
  registerControllers,
} from './emit/scaffold/index.ts';
import { generateManifests, type GenerateManifestsOptions } from './generate.ts';
import { openProject } from './parse/index.ts';
import type { KindModel, ProjectModel } from './model/index.ts';
import { kebabCase } from './view-models/index.ts';
import { writeOutputs, type WriteResult } from './write/index.ts';

export interface GenerateOptions extends Omit<GenerateManifestsOptions, 'projectDir' | 'check'> {
  /** Write nothing; report in `stale` what differs from what would be generated. */
  readonly check?: boolean;
  /** Scaffold and register controllers of kinds that have none (default `true`; never in check mode). */
  readonly scaffold?: boolean;
}

export interface GenerateReport {
  /** Files created or rewritten, sorted. */
  readonly written: readonly string[];
  /** Files already up to date (and scaffolds that exist). */
  readonly unchanged: readonly string[];
  /** Generated files deleted because their kind no longer exists. */
  readonly removed: readonly string[];
  /** Check mode: files that are out of date, missing, or generated for kinds that no longer exist. */
  readonly stale: readonly string[];
  /** Controller scaffolds created (and registered in src/main.ts) by this run. */
  readonly scaffolded: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** 1 when there are errors or, in check mode, stale files; else 0. What the CLI exits with. */
  readonly exitCode: 0 | 1;
}

const emptyWrite: WriteResult = { written: [], unchanged: [], removed: [], stale: [] };

/** Generates everything for the operator project in `projectDir`; see the module comment. */
export function generate(projectDir: string, options: GenerateOptions = {}): GenerateReport {
  const check = options.check === true;
  const session = options.session ?? openProject({ ...options, projectDir });
  const manifests = generateManifests({ ...options, projectDir, check, session });
  if (manifests.write === undefined || hasErrors(manifests.diagnostics)) {
    return report([manifests.write ?? emptyWrite], [], manifests.diagnostics, check);
  }
  const model = manifests.model;
  const code = writeOutputs(emitCode(model), { projectDir, check, pruneDirs: [generatedCodeDir] });
  const scaffold = check || options.scaffold === false ? noScaffolds : scaffoldControllers(projectDir, model);
  const scaffoldWrite = writeOutputs(scaffold.files, { projectDir });
  const scaffolded = scaffold.files.filter((f) => f.ownership === 'scaffold').map((f) => f.path);
  if (scaffolded.length === 0) {
    const diagnostics = [...manifests.diagnostics, ...scaffold.diagnostics];
    return report([manifests.write, code, scaffoldWrite], scaffolded, diagnostics, check);
  }
  // New controllers bring @rbac tags: regenerate the manifests so the role has them now, not
  // on the next run.
  const withControllers = generateManifests({ ...options, projectDir, session, changedFiles: scaffolded });
  return report(
    [manifests.write, code, scaffoldWrite, withControllers.write ?? emptyWrite],
    scaffolded,
    [...withControllers.diagnostics, ...scaffold.diagnostics],
    false,
  );
}

interface ScaffoldPlan {
  readonly files: readonly OutputFile[];
  readonly diagnostics: readonly Diagnostic[];
}

const noScaffolds: ScaffoldPlan = { files: [], diagnostics: [] };

/** Controller scaffolds of kinds without a controller, and the edited `src/main.ts`. */
function scaffoldControllers(projectDir: string, model: ProjectModel): ScaffoldPlan {
  const mainPath = join(projectDir, mainFile);
  const main = existsSync(mainPath) ? readFileSync(mainPath, 'utf8') : undefined;
  const ambiguous = ambiguousKinds(model);
  const wanted = model.kinds.filter((kind) => needsController(projectDir, kind, main));
  const missing = wanted.filter((kind) => !ambiguous.has(kind.kind));
  const skipped: Diagnostic[] = [
    ...new Set(wanted.filter((k) => ambiguous.has(k.kind)).map((k) => k.kind)),
  ].map((kind) => ({
    severity: 'warning',
    code: 'ambiguous-controller',
    message: `kind ${kind} exists in several groups (${ambiguous.get(kind)?.join(', ') ?? ''}): their controllers would share src/controllers/${kebabCase(kind)}.controller.ts, so none was scaffolded`,
    hint: 'write these controllers by hand, with distinct file and function names, and register them in src/main.ts',
  }));
  if (missing.length === 0) return { files: [], diagnostics: skipped };
  if (main === undefined) {
    return {
      files: [],
      diagnostics: [
        ...skipped,
        {
          severity: 'warning',
          code: 'no-main-file',
          message: `no ${mainFile}: controllers of ${missing.map((k) => k.kind).join(', ')} were not scaffolded, as there is nowhere to register them`,
          hint: 'create the project with `kubeforge init`, or pass --no-scaffold to only generate code',
        },
      ],
    };
  }
  const registration = registerControllers(main, missing.map(controllerRegistration));
  if (!registration.ok) return { files: [], diagnostics: [...skipped, ...registration.diagnostics] };
  return {
    files: [
      ...missing.map(emitControllerScaffold),
      // main.ts stays the user's: it is rewritten from its own current contents, with only the
      // registration lines added, and only when that changes it.
      { path: mainFile, contents: registration.contents, ownership: 'generated' },
    ],
    diagnostics: skipped,
  };
}

/** Kind names declared in more than one group, with their groups. */
function ambiguousKinds(model: ProjectModel): ReadonlyMap<string, readonly string[]> {
  const groups = new Map<string, string[]>();
  for (const kind of model.kinds) groups.set(kind.kind, [...(groups.get(kind.kind) ?? []), kind.group]);
  return new Map([...groups].filter(([, inGroups]) => inGroups.length > 1));
}

function needsController(projectDir: string, kind: KindModel, main: string | undefined): boolean {
  const { functionName, modulePath } = controllerRegistration(kind);
  if (existsSync(join(projectDir, modulePath))) return false;
  return main === undefined || !new RegExp(`\\b${functionName}\\s*\\(`).test(main);
}

function report(
  writes: readonly WriteResult[],
  scaffolded: readonly string[],
  diagnostics: readonly Diagnostic[],
  check: boolean,
): GenerateReport {
  const collect = (key: keyof WriteResult): readonly string[] =>
    [...new Set(writes.flatMap((w) => w[key]))].sort();
  const stale = collect('stale');
  const written = collect('written');
  // A file written by one pass and found up to date by a later one (the manifests after
  // scaffolding) was written.
  const unchanged = collect('unchanged').filter((path) => !written.includes(path));
  const failed = hasErrors(diagnostics) || (check && stale.length > 0);
  return {
    written,
    unchanged,
    removed: collect('removed'),
    stale,
    scaffolded: [...scaffolded].sort(),
    diagnostics: sortDiagnostics(diagnostics),
    exitCode: failed ? 1 : 0,
  };
}
