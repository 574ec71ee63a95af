/**
 * How commands show an edit they made to a file the user owns: the changed lines, diff-like,
 * under a `changed <path>:<line>` entry of their report. Edits that commands make are small
 * and contiguous (a marker line added to a doc comment), so one hunk, found by the common
 * leading and trailing lines, describes them exactly; a general diff library would add a
 * dependency for nothing here.
 */

/** One contiguous change between two versions of a text, by lines. */
export interface LineChange {
  /** 1-based number, in the new text, of the first added line (or of the line after a removal). */
  readonly line: number;
  /** The unchanged line just before the change, if there is one. */
  readonly context: string | undefined;
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

/** The change from `before` to `after` as one hunk; undefined when the texts are equal. */
export function lineChange(before: string, after: string): LineChange | undefined {
  if (before === after) return undefined;
  const old = before.split('\n');
  const now = after.split('\n');
  let head = 0;
  while (head < old.length && head < now.length && old[head] === now[head]) head++;
  let tail = 0;
  while (
    tail < old.length - head &&
    tail < now.length - head &&
    old[old.length - 1 - tail] === now[now.length - 1 - tail]
  ) {
    tail++;
  }
  return {
    line: head + 1,
    context: head > 0 ? old[head - 1] : undefined,
    removed: old.slice(head, old.length - tail),
    added: now.slice(head, now.length - tail),
  };
}

/**
 * The report lines of a change to `path`: `changed <path>:<line> (<why>)`, then the line
 * before it and the removed (`-`) and added (`+`) lines, indented under it.
 */
export function formatLineChange(path: string, change: LineChange, why: string, indent = '  '): string[] {
  const body = indent + '  ';
  return [
    `${indent}changed ${path}:${change.line} (${why}):`,
    ...(change.context === undefined ? [] : [`${body} ${change.context}`]),
    ...change.removed.map((line) => `${body}-${line}`),
    ...change.added.map((line) => `${body}+${line}`),
  ];
}
