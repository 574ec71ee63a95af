/**
 * A JSDoc block parser that keeps source offsets, so marker diagnostics point at the tag.
 * Tags start at the beginning of a comment line (`* @name value`); an `@` elsewhere (inside
 * a JSONPath, a CEL rule or an email) is text. A tag's value runs until the next tag line.
 * Lines where a word like a tag (`@name`, after a space) follows other text are recorded as
 * {@link CrowdedLine}s: `/** @minimum 0 @maximum 100 *\/` is one tag whose value is
 * `0 @maximum 100`, which is rarely what its author meant.
 */

export interface DocTag {
  /** Tag name without `@`. */
  readonly name: string;
  /** The value: the rest of the tag's lines, trimmed, lines joined with `\n`. */
  readonly text: string;
  /** Absolute offset of the `@` in the source file. */
  readonly offset: number;
}

/** A comment line where `@name` words follow other text, so they are not tags. */
export interface CrowdedLine {
  /** The names of the `@name` words that do not start the line, in order. */
  readonly names: readonly string[];
  /** The line's text (without the leading `*`) split before each of them, trimmed. */
  readonly parts: readonly string[];
  /** Absolute offset of the first of them. */
  readonly offset: number;
  /** The tag whose value the line is part of; undefined when it is part of the description. */
  readonly tag: DocTag | undefined;
}

export interface DocComment {
  /** The text before the first tag, paragraphs kept, lines joined with `\n`. */
  readonly description: string;
  readonly tags: readonly DocTag[];
  /** Lines with `@name` words that do not start them, in order. */
  readonly crowdedLines: readonly CrowdedLine[];
}

/** `@name` after whitespace, followed by whitespace or the end of the line. */
const inlineTagPattern = /(?<=\s)@([A-Za-z][\w-]*)(?=\s|$)/g;

/**
 * Parses one `/** ... *\/` comment. `start` is the comment's absolute offset in its file.
 * Returns `undefined` for comments that are not JSDoc blocks.
 */
export function parseDocComment(comment: string, start = 0): DocComment | undefined {
  if (!comment.startsWith('/**') || comment.startsWith('/**/') || !comment.endsWith('*/')) return undefined;
  const body = comment.slice(3, -2);
  const description: string[] = [];
  const tags: { name: string; lines: string[]; offset: number }[] = [];
  const crowded: { names: string[]; parts: string[]; offset: number; tagIndex: number }[] = [];
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
    const inline = [...line.matchAll(inlineTagPattern)];
    const first = inline[0];
    if (first !== undefined) {
      const cuts = [0, ...inline.map((m) => m.index), line.length];
      crowded.push({
        names: inline.map((m) => m[1] ?? ''),
        parts: cuts.slice(0, -1).map((cut, i) => line.slice(cut, cuts[i + 1]).trim()),
        offset: lineOffset + prefix.length + first.index,
        tagIndex: tags.length - 1,
      });
    }
  }
  const parsedTags: DocTag[] = tags.map((t) => ({
    name: t.name,
    text: trimBlankLines(t.lines).join('\n').trim(),
    offset: t.offset,
  }));
  return {
    description: trimBlankLines(description).join('\n'),
    tags: parsedTags,
    crowdedLines: crowded.map(({ tagIndex, ...line }) => ({ ...line, tag: parsedTags[tagIndex] })),
  };
}

function trimBlankLines(lines: readonly string[]): readonly string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && lines[from]?.trim() === '') from++;
  while (to > from && lines[to - 1]?.trim() === '') to--;
  return lines.slice(from, to);
}
