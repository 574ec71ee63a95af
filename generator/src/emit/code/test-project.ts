/**
 * Test helpers: operator projects in scratch directories, built from the backup-operator
 * fixture plus what `kubeforge init` writes (main.ts with the scaffold markers, a strict
 * tsconfig), and snapshots of their files for before/after comparisons.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fixtureDir, scratchDir } from '../../testing/index.ts';
import { renderTemplate } from '../../view-models/index.ts';

/** The strict settings generated code must compile under (plus what an init'ed project uses). */
export const strictCompilerOptions = {
  target: 'ES2023',
  lib: ['ES2023'],
  module: 'nodenext',
  moduleResolution: 'nodenext',
  customConditions: ['kubeforge-source'],
  types: ['node'],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  useUnknownInCatchVariables: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  rewriteRelativeImportExtensions: true,
  skipLibCheck: true,
};

const created: string[] = [];

function scratchProject(prefix: string): string {
  const dir = scratchDir(prefix);
  created.push(dir);
  return dir;
}

/** Removes every project this module created (call from `after`). */
export function removeProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of a fixture project (default: backup-operator) with init's main.ts and a strict tsconfig. */
export function createOperatorProject(prefix: string, fixture = fixtureDir('backup-operator')): string {
  const dir = scratchProject(prefix);
  cpSync(join(fixture, 'src'), join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'src', 'main.ts'),
    renderTemplate('project/init/src/main.ts.hbs', { name: 'backup-operator' }),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...strictCompilerOptions,
        declaration: true,
        emitDeclarationOnly: true,
        outDir: 'types',
      },
      include: ['src'],
    }),
  );
  return dir;
}

/** A fresh scratch copy of a project directory. */
export function copyProject(from: string, prefix: string): string {
  const dir = scratchProject(prefix);
  cpSync(from, dir, { recursive: true });
  return dir;
}

/** Every file of a project (POSIX relative path -> contents), without compiler output. */
export function snapshot(dir: string): ReadonlyMap<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = entry.split(sep).join('/');
    if (path.startsWith('types/') || !statSync(join(dir, entry)).isFile()) continue;
    files.set(path, readFileSync(join(dir, entry), 'utf8'));
  }
  return files;
}

/** Paths added, changed or removed between two snapshots, sorted. */
export function changedPaths(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}

/** Applies a text replacement to a project file, failing loudly if the text is not there. */
export function editFile(dir: string, path: string, edit: (source: string) => string): void {
  const file = join(dir, path);
  if (!existsSync(file)) throw new Error(`${path} does not exist in ${dir}`);
  const source = readFileSync(file, 'utf8');
  const edited = edit(source);
  if (edited === source) throw new Error(`editing ${path} changed nothing`);
  writeFileSync(file, edited);
}
