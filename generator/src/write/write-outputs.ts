/**
 * The only code that touches the disk with generated output. Files are compared with what
 * is there and written only when different; scaffold files are created once and never
 * overwritten; generated files no longer produced are removed from the directories the
 * caller names. In check mode nothing is written: the result says what is stale.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { generatedHeader, type OutputFile } from '../emit/index.ts';

export interface WriteOptions {
  readonly projectDir: string;
  /** Report what would change without writing anything. */
  readonly check?: boolean;
  /**
   * Project-relative directories the generator owns: files in them that start with the
   * generated header and are not in `files` are removed (a kind was deleted, renamed, ...).
   */
  readonly pruneDirs?: readonly string[];
}

export interface WriteResult {
  /** Paths created or rewritten (in check mode: none). */
  readonly written: readonly string[];
  /** Paths already up to date (including scaffold files that exist). */
  readonly unchanged: readonly string[];
  /** Generated files deleted because nothing produces them any more (check mode: none). */
  readonly removed: readonly string[];
  /** Paths that differ from what would be generated (check mode; empty otherwise). */
  readonly stale: readonly string[];
}

export class OutputPathError extends Error {
  readonly reason = 'OutsideProject';
  constructor(path: string) {
    super(`output path ${path} is not a relative path inside the project`);
    this.name = 'OutputPathError';
  }
}

export function writeOutputs(files: readonly OutputFile[], options: WriteOptions): WriteResult {
  const root = resolve(options.projectDir);
  const written: string[] = [];
  const unchanged: string[] = [];
  const removed: string[] = [];
  const stale: string[] = [];
  const produced = new Set<string>();
  for (const file of files) {
    const normalised = posix.normalize(file.path);
    if (normalised.startsWith('../') || posix.isAbsolute(normalised)) throw new OutputPathError(file.path);
    produced.add(normalised);
  }
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const path = posix.normalize(file.path);
    const target = join(root, path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === file.contents || (file.ownership === 'scaffold' && current !== undefined)) {
      unchanged.push(path);
      continue;
    }
    if (options.check) {
      stale.push(path);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
    written.push(path);
  }
  for (const dir of options.pruneDirs ?? []) {
    const absolute = join(root, dir);
    if (!existsSync(absolute)) continue;
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = posix.join(posix.normalize(dir), entry.name);
      if (produced.has(path)) continue;
      const target = join(absolute, entry.name);
      if (!readFileSync(target, 'utf8').startsWith(generatedHeader)) continue;
      if (options.check) {
        stale.push(path);
      } else {
        rmSync(target);
        removed.push(path);
      }
    }
  }
  return { written, unchanged, removed, stale };
}
