/**
 * The only code that touches the disk with generated output. Files are compared with what
 * is there and written only when different; scaffold files are created once and never
 * overwritten; generated files no longer produced are removed from the directories the
 * caller names. In check mode nothing is written: the result says what is stale.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { generatedCodeHeader } from '../emit/code/index.ts';
import { generatedHeader, type OutputFile } from '../emit/index.ts';

/** The first lines by which the writer recognises files it generated (YAML and TypeScript). */
const generatedHeaders = [generatedHeader, generatedCodeHeader];

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
    const current =
      knownContents(target, file.contents) ?? (existsSync(target) ? readFileSync(target, 'utf8') : undefined);
    if (current === file.contents || (file.ownership === 'scaffold' && current !== undefined)) {
      remember(target, current);
      unchanged.push(path);
      continue;
    }
    if (options.check) {
      stale.push(path);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
    remember(target, file.contents);
    written.push(path);
  }
  for (const dir of options.pruneDirs ?? []) {
    const absolute = join(root, dir);
    if (!existsSync(absolute)) continue;
    // Recursive: generated code is nested (src/generated/<group>/<version>/<kind>.ts).
    const entries = readdirSync(absolute, { recursive: true, encoding: 'utf8' }).sort();
    for (const entry of entries) {
      const target = join(absolute, entry);
      if (!statSync(target).isFile()) continue;
      const path = posix.join(posix.normalize(dir), entry.split(sep).join('/'));
      if (produced.has(path)) continue;
      const contents = readFileSync(target, 'utf8');
      if (!generatedHeaders.some((header) => contents.startsWith(header))) continue;
      if (options.check) {
        stale.push(path);
      } else {
        rmSync(target);
        removed.push(path);
        removeEmptyParents(dirname(target), absolute);
      }
    }
  }
  return { written, unchanged, removed, stale };
}

/**
 * What this process last wrote or read at a path, with the file's size and mtime then: a
 * regeneration (`generate --watch`) compares large unchanged outputs without reading them
 * again. Any change to the file on disk (size or mtime) makes it read as usual.
 */
const lastSeen = new Map<
  string,
  { readonly contents: string; readonly size: number; readonly mtimeMs: number }
>();

function remember(target: string, contents: string): void {
  if (contents.length < 65_536) return;
  const stat = statSync(target, { throwIfNoEntry: false });
  if (stat) lastSeen.set(target, { contents, size: stat.size, mtimeMs: stat.mtimeMs });
}

/** The file's contents when they are known to be `expected` without reading it; otherwise undefined. */
function knownContents(target: string, expected: string): string | undefined {
  const seen = lastSeen.get(target);
  if (seen?.contents !== expected) return undefined;
  const stat = statSync(target, { throwIfNoEntry: false });
  if (stat?.size !== seen.size || stat.mtimeMs !== seen.mtimeMs) return undefined;
  return seen.contents;
}

/** Removes `dir` and its parents up to (not including) `stop` while they are empty. */
function removeEmptyParents(dir: string, stop: string): void {
  for (let current = dir; current !== stop && current.startsWith(stop); current = dirname(current)) {
    if (readdirSync(current).length > 0) return;
    rmdirSync(current);
  }
}
