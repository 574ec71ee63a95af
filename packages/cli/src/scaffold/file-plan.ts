/**
 * All-or-nothing file writes for scaffolding commands. A command first builds a plan — every
 * file it will create or update — then {@link applyFilePlan} checks the whole plan against the
 * disk before touching anything, and undoes what it wrote if a write fails, so a failed
 * command never leaves a half-written project behind.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CliError } from '../errors.ts';

export interface PlannedFile {
  /** Path relative to the plan's root, POSIX separators. */
  readonly path: string;
  readonly contents: string;
  /** `create` fails if the file exists; `update` replaces a file (or creates it). */
  readonly mode: 'create' | 'update';
  /** File mode bits for new files, e.g. 0o755 for scripts. */
  readonly permissions?: number;
}

export interface AppliedPlan {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  /** Undoes the plan: restores updated files, removes created files and directories. */
  rollback(): void;
}

/** Files a plan would overwrite although they must be new, relative to `root`. */
export function conflictsOf(root: string, files: readonly PlannedFile[]): readonly string[] {
  return files.filter((f) => f.mode === 'create' && existsSync(join(root, f.path))).map((f) => f.path);
}

function assertInside(root: string, path: string): string {
  const absolute = resolve(root, path);
  const rel = relative(root, absolute);
  if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) {
    throw new Error(`planned file ${path} is outside ${root}`);
  }
  return absolute;
}

/** Directories that must be created for `file`, outermost first. */
function missingDirectories(file: string): string[] {
  const missing: string[] = [];
  let dir = dirname(file);
  while (!existsSync(dir)) {
    missing.unshift(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return missing;
}

/**
 * Writes every file of the plan, or none: fails with `FileExists` (listing all conflicts)
 * before writing anything, and on a write error restores updated files, removes created files
 * and directories, then rethrows.
 */
export function applyFilePlan(root: string, files: readonly PlannedFile[]): AppliedPlan {
  const conflicts = conflictsOf(root, files);
  if (conflicts.length > 0) {
    throw new CliError(
      'FileExists',
      `${conflicts.length === 1 ? 'a file' : 'files'} already exist: ${conflicts.join(', ')}`,
      {
        hint: 'nothing was written; move or delete the existing files, or pick another name or directory',
      },
    );
  }
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  const previous = new Map<string, string>();
  const created: string[] = [];
  const updated: string[] = [];
  try {
    for (const file of files) {
      const absolute = assertInside(root, file.path);
      for (const dir of missingDirectories(absolute)) {
        mkdirSync(dir);
        createdDirs.push(dir);
      }
      const existed = existsSync(absolute);
      if (existed) {
        const old = readFileSync(absolute, 'utf8');
        if (old === file.contents) continue;
        previous.set(absolute, old);
      }
      const temp = `${absolute}.kubeforge-tmp`;
      writeFileSync(temp, file.contents, file.permissions === undefined ? {} : { mode: file.permissions });
      renameSync(temp, absolute);
      if (existed) {
        updated.push(file.path);
      } else {
        createdFiles.push(absolute);
        created.push(file.path);
      }
    }
  } catch (err) {
    undo();
    for (const path of files.map((f) => `${resolve(root, f.path)}.kubeforge-tmp`))
      rmSync(path, { force: true });
    throw err;
  }
  function undo(): void {
    for (const [path, contents] of previous) writeFileSync(path, contents);
    for (const path of createdFiles) rmSync(path, { force: true });
    for (const dir of [...createdDirs].reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty: something else wrote into it meanwhile; leave it.
      }
    }
  }
  return { created, updated, rollback: undo };
}
