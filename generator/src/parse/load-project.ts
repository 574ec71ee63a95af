/**
 * Loads an operator project with its tsconfig into one ts-morph Project and builds the
 * model. A {@link ProjectSession} keeps the Project between runs: after files change,
 * `update` re-reads only those files and TypeScript reuses the rest of the program
 * (what `generate --watch` needs).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Project, ts } from 'ts-morph';
import { DiagnosticSink, type Diagnostic } from '../diagnostics/index.ts';
import type { ProjectModel } from '../model/index.ts';
import { collectRbacRules, isControllerFile } from './rbac-tags.ts';
import { collectKinds, isApiFile } from './resources.ts';
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
}

const defaultCompilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
};

export function openProject(options: LoadProjectOptions): ProjectSession {
  const projectDir = resolve(options.projectDir);
  const tsconfig = resolve(projectDir, options.tsconfig ?? 'tsconfig.json');
  // The tsconfig gives the compiler options; the program holds only the API and controller
  // files and what they import, not the whole project (tests, other code).
  const project =
    options.tsconfig !== undefined || existsSync(tsconfig)
      ? new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true })
      : new Project({ compilerOptions: defaultCompilerOptions });
  project.addSourceFilesAtPaths([`${projectDir}/src/apis/**/*.ts`, `${projectDir}/src/controllers/**/*.ts`]);
  project.resolveSourceFileDependencies();
  const packages = new PackageLocator();

  const analyse = (): LoadResult => {
    const sink = new DiagnosticSink();
    const program = project.getProgram().compilerObject;
    const ctx = new SourceContext(program, sink, projectDir, packages);
    const files = program
      .getSourceFiles()
      .filter((f) => {
        const rel = ctx.relativePath(f.fileName);
        return isApiFile(rel) || isControllerFile(rel);
      })
      .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    for (const file of files) {
      for (const diagnostic of program.getSyntacticDiagnostics(file)) {
        const position = diagnostic.start;
        const { line, character } = file.getLineAndCharacterOfPosition(position);
        sink.error('syntax-error', ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'), {
          file: ctx.relativePath(file.fileName),
          line: line + 1,
          column: character + 1,
        });
      }
    }
    if (!files.some((f) => isApiFile(ctx.relativePath(f.fileName)))) {
      sink.warning(
        'no-apis',
        `no TypeScript files under src/apis/<group>/<version>/ in ${projectDir}`,
        {},
        'create one with `kubeforge create api`, or check --project-dir and the tsconfig include',
      );
    }
    const kinds = sink.hasErrors ? [] : collectKinds(ctx, files);
    const rbacRules = collectRbacRules(ctx, files);
    return { model: { kinds, rbacRules }, diagnostics: sink.toArray() };
  };

  return {
    load: analyse,
    update(changedFiles) {
      for (const changed of changedFiles) {
        const path = isAbsolute(changed) ? changed : resolve(projectDir, changed);
        const existing = project.getSourceFile(path);
        if (existing) existing.refreshFromFileSystemSync();
        else if (existsSync(path) && path.endsWith('.ts')) project.addSourceFileAtPath(path);
      }
      return analyse();
    },
  };
}

/** Loads and analyses a project once. */
export function loadProject(options: LoadProjectOptions): LoadResult {
  return openProject(options).load();
}
