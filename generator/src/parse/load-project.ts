/**
 * Loads an operator project with its tsconfig and builds the model. A {@link ProjectSession}
 * keeps the loaded files between runs: after files change, `update` re-reads only those files
 * and TypeScript reuses the rest of the program (what `generate --watch` needs).
 *
 * Only API files are type-checked, in a program that holds them, what they import and the
 * ECMAScript library. Controller files are read for their `@rbac` markers, which are
 * syntactic: they are parsed on their own, never resolving their imports, because those
 * reach the runtime's client and @kubernetes/client-node, whose declarations would otherwise
 * be most of a cold run. For the same reason API files that import the runtime's root entry
 * point are type-checked against its object model (object-model-resolution.ts).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Project, ts } from 'ts-morph';
import { DiagnosticSink, type Diagnostic } from '../diagnostics/index.ts';
import type { ProjectModel } from '../model/index.ts';
import { collectRbacRules, isControllerFile } from './rbac-tags.ts';
import { checkReconciledCalls } from './reconciled-calls.ts';
import { collectKinds, isApiFile } from './resources.ts';
import { BuiltinTypes } from './builtin-types.ts';
import { objectModelResolution } from './object-model-resolution.ts';
import { PackageLocator } from './runtime-types.ts';
import { SourceContext } from './source-context.ts';

export interface LoadProjectOptions {
  /** The operator project's root (holds src/apis and src/controllers). */
  readonly projectDir: string;
  /** tsconfig path, relative to projectDir or absolute (default `tsconfig.json` if it exists). */
  readonly tsconfig?: string;
}

export interface LoadResult {
  /** The model built from everything that could be parsed; emit only when there are no errors. */
  readonly model: ProjectModel;
  /** Every problem found, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ProjectSession {
  /** Analyses the project as currently loaded. */
  load(): LoadResult;
  /** Re-reads the given files (changed, added or deleted; absolute or project-relative) and analyses again. */
  update(changedFiles: readonly string[]): LoadResult;
  /** The files the type checker loads (API files, their imports, the library), sorted. */
  typeCheckedFiles(): readonly string[];
}

const defaultCompilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
};

/**
 * Options of the API program, from the project's: API types are made of their own imports and
 * the ECMAScript library, so ambient `types` packages (@types/node, ...) are not loaded, and
 * without a `lib` in the tsconfig the target's ECMAScript library is used without the DOM
 * (the default `lib.<target>.full.d.ts` is mostly lib.dom.d.ts).
 */
function apiProgramOptions(options: ts.CompilerOptions): ts.CompilerOptions {
  const defaultLib = ts.getDefaultLibFileName(options);
  const ecmaScriptLib =
    defaultLib === 'lib.d.ts' ? 'lib.es5.d.ts' : defaultLib.replace(/\.full\.d\.ts$/, '.d.ts');
  return { ...options, types: [], lib: options.lib ?? [ecmaScriptLib], noEmit: true };
}

/** Controller files parsed alone: no library, no import resolution. */
const controllerProgramOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  noLib: true,
  noResolve: true,
  types: [],
  noEmit: true,
};

export function openProject(options: LoadProjectOptions): ProjectSession {
  const projectDir = resolve(options.projectDir);
  const tsconfig = resolve(projectDir, options.tsconfig ?? 'tsconfig.json');
  // The tsconfig gives the compiler options; the program holds only the API files and what
  // they import, not the whole project (tests, other code).
  const apiProject =
    options.tsconfig !== undefined || existsSync(tsconfig)
      ? new Project({
          tsConfigFilePath: tsconfig,
          skipAddingFilesFromTsConfig: true,
          resolutionHost: objectModelResolution,
        })
      : new Project({ compilerOptions: defaultCompilerOptions, resolutionHost: objectModelResolution });
  apiProject.compilerOptions.set(apiProgramOptions(apiProject.getCompilerOptions()));
  apiProject.addSourceFilesAtPaths(`${projectDir}/src/apis/**/*.ts`);
  apiProject.resolveSourceFileDependencies();
  const controllerProject = new Project({
    compilerOptions: controllerProgramOptions,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
  });
  controllerProject.addSourceFilesAtPaths(`${projectDir}/src/controllers/**/*.ts`);
  const packages = new PackageLocator();
  const builtins = new BuiltinTypes(packages);

  const analyse = (): LoadResult => {
    const sink = new DiagnosticSink();
    const program = apiProject.getProgram().compilerObject;
    const controllerProgram = controllerProject.getProgram().compilerObject;
    const ctx = new SourceContext(program, sink, projectDir, packages, builtins);
    const byName = (a: ts.SourceFile, b: ts.SourceFile): number =>
      a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0;
    const apiFiles = program
      .getSourceFiles()
      .filter((f) => isApiFile(ctx.relativePath(f.fileName)))
      .sort(byName);
    const controllerFiles = controllerProgram
      .getSourceFiles()
      .filter((f) => isControllerFile(ctx.relativePath(f.fileName)))
      .sort(byName);
    const checked: (readonly [ts.Program, readonly ts.SourceFile[]])[] = [
      [program, apiFiles],
      [controllerProgram, controllerFiles],
    ];
    for (const [owner, files] of checked) {
      for (const file of files) {
        for (const diagnostic of owner.getSyntacticDiagnostics(file)) {
          const position = diagnostic.start;
          const { line, character } = file.getLineAndCharacterOfPosition(position);
          sink.error('syntax-error', ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'), {
            file: ctx.relativePath(file.fileName),
            line: line + 1,
            column: character + 1,
          });
        }
      }
    }
    if (apiFiles.length === 0) {
      sink.warning(
        'no-apis',
        `no TypeScript files under src/apis/<group>/<version>/ in ${projectDir}`,
        {},
        'create one with `kubeforge create api`, or check --project-dir and the tsconfig include',
      );
    }
    const kinds = sink.hasErrors ? [] : collectKinds(ctx, apiFiles);
    const rbacRules = collectRbacRules(ctx, controllerFiles);
    checkReconciledCalls(ctx, controllerFiles, kinds);
    return { model: { kinds, rbacRules }, diagnostics: sink.toArray() };
  };

  return {
    load: analyse,
    update(changedFiles) {
      for (const changed of changedFiles) {
        const path = isAbsolute(changed) ? changed : resolve(projectDir, changed);
        const isController = isControllerFile(relative(projectDir, path).split(sep).join('/'));
        const owners = isController ? [controllerProject, apiProject] : [apiProject];
        const existing = owners.map((p) => p.getSourceFile(path)).filter((f) => f !== undefined);
        for (const file of existing) file.refreshFromFileSystemSync();
        if (existing.length === 0 && existsSync(path) && path.endsWith('.ts')) {
          (isController ? controllerProject : apiProject).addSourceFileAtPath(path);
        }
      }
      return analyse();
    },
    typeCheckedFiles: () =>
      apiProject
        .getProgram()
        .compilerObject.getSourceFiles()
        .map((f) => f.fileName)
        .sort(),
  };
}

/** Loads and analyses a project once. */
export function loadProject(options: LoadProjectOptions): LoadResult {
  return openProject(options).load();
}
