/**
 * Watches a directory tree for changed files. Node's recursive `fs.watch` follows files by
 * inode on Linux, so it loses a file the first time an editor saves it by writing a temporary
 * file and renaming it over the original; watching every directory instead reports the new
 * file under its own name. New directories are watched as they appear.
 */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface TreeWatcher {
  close(): void;
}

/**
 * Calls `onChange` with the absolute path of every file created, changed or removed under
 * `root` whose root-relative POSIX path passes `include`. Directories failing `includeDir`
 * are not watched.
 */
export function watchTree(
  root: string,
  options: {
    readonly include: (relativePath: string) => boolean;
    readonly includeDir: (relativePath: string) => boolean;
    readonly onChange: (path: string) => void;
    readonly onError: (err: Error) => void;
  },
): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  const rel = (path: string): string => relative(root, path).split(sep).join('/');

  const add = (dir: string): void => {
    if (watchers.has(dir) || (dir !== root && !options.includeDir(rel(dir)))) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir);
    } catch (err) {
      options.onError(err as Error);
      return;
    }
    watchers.set(dir, watcher);
    watcher.on('error', (err) => {
      watcher.close();
      watchers.delete(dir);
      // A deleted directory ends its watch; anything else is worth reporting.
      if (existsSync(dir)) options.onError(err);
    });
    watcher.on('change', (_event, name) => {
      if (typeof name !== 'string') return;
      const path = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        // Removed (or a temporary file already renamed away).
      }
      if (isDir) {
        add(path);
        for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
          const child = join(entry.parentPath, entry.name);
          if (entry.isDirectory()) add(child);
          else if (options.include(rel(child))) options.onChange(child);
        }
        return;
      }
      if (options.include(rel(path))) options.onChange(path);
    });
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) add(join(dir, entry.name));
    }
  };

  add(root);
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
