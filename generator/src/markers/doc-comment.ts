/**
 * A JSDoc block parser that keeps source offsets, so marker diagnostics point at the tag.
 * Tags start at the beginning of a comment line (`* @name value`); an `@` elsewhere (inside
 * a JSONPath, a CEL rule or an email) is text. A tag's value runs until the next tag line.
 */

export interface DocTag {
  /** Tag name without `@`. */
  readonly name: string;
  /** The value: the rest of the tag's lines, trimmed, lines joined with `\n`. */
  readonly text: string;
  /** Absolute offset of the `@` in the source file. */
  readonly offset: number;
}

export interface DocComment {
  /** The text before the first tag, paragraphs kept, lines joined with `\n`. */
  readonly description: string;
  readonly tags: readonly DocTag[];
}

/**
 * Parses one `/** ... *\/` comment. `start` is the comment's absolute offset in its file.
 * Returns `undefined` for comments that are not JSDoc blocks.
 */
export function parseDocComment(comment: string, start = 0): DocComment | undefined {
  if (!comment.startsWith('/**') || comment.startsWith('/**/') || !comment.endsWith('*/')) return undefined;
  const body = comment.slice(3, -2);
  const description: string[] = [];
  const tags: { name: string; lines: string[]; offset: number }[] = [];
  let offset = start + 3;
  for (const rawLine of body.split('\n')) {
    const lineOffset = offset;
    offset += rawLine.length + 1;
    const prefix = /^\s*\*?\s?/.exec(rawLine)?.[0] ?? '';
    const line = rawLine.slice(prefix.length).replace(/\s+$/, '');
    const tag = /^@([A-Za-z][\w-]*)(?:\s+|$)/.exec(line);
    if (tag?.[1] !== undefined) {
      tags.push({ name: tag[1], lines: [line.slice(tag[0].length)], offset: lineOffset + prefix.length });
    } else if (tags.length > 0) {
      tags[tags.length - 1]?.lines.push(line);
    } else {
      description.push(line);
    }
  }
  return {
    description: trimBlankLines(description).join('\n'),
    tags: tags.map((t) => ({
      name: t.name,
      text: trimBlankLines(t.lines).join('\n').trim(),
      offset: t.offset,
    })),
  };
}

function trimBlankLines(lines: readonly string[]): readonly string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && lines[from]?.trim() === '') from++;
  while (to > from && lines[to - 1]?.trim() === '') to--;
  return lines.slice(from, to);
}
