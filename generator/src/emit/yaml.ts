/**
 * Deterministic YAML: keys sorted at every level, no line folding, a stable header.
 *
 * Large subtrees are rendered once per object and spliced in wherever the same object appears
 * again, in this file or a later one: CRDs that embed built-in types share their schemas (one
 * PodSpec object for every kind that holds a pod template), and rendering 600 KB of schema
 * per kind again and again was most of a cold `generate`. The output is byte-identical to
 * rendering the whole value at once (with line folding off, a block renders the same at any
 * indentation, indented). Values are read-only data: a rendered object must not be mutated.
 *
 * Scalars are quoted as YAML 1.1 needs (`"y"`, `"no"`, `"on"`, `"0755"`): kubectl and the API
 * server read YAML 1.1, where a property named `y` is otherwise the boolean true.
 */
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { nodeCount } from './node-count.ts';
import { generatedHeader } from './output-file.ts';

const options = {
  sortMapEntries: true,
  lineWidth: 0,
  indentSeq: true,
  aliasDuplicateObjects: false,
  version: '1.1',
} as const;

/** Subtrees with at least this many nodes are rendered once and spliced. */
const spliceThreshold = 64;

/**
 * A rendering: lines, and blocks spliced in at a column. Kept as a tree and flattened once
 * per file, so a block nested ten levels deep is indented once, not ten times.
 */
type Rendering = readonly Piece[];
type Piece =
  | string
  | {
      /** The placeholder line's text before the block (`key:`), or undefined for a `- ` item. */
      readonly head: string | undefined;
      /** What precedes the block's first line (`- `) when there is no head. */
      readonly lead: string;
      /** The column of the block's lines. */
      readonly column: number;
      readonly block: Rendering;
    };

const rendered = new WeakMap<object, Rendering>();
/** A plain scalar no real value holds (a fresh nonce per process); replaced before output. */
const nonce = `kfsplice${randomBytes(6).toString('hex')}x`;
const placeholder = new RegExp(`^( *)((?:- )*)(?:(.*): )?${nonce}(\\d+)$`);

export function toYaml(value: unknown, headerLines: readonly string[] = []): string {
  const header = [generatedHeader, ...headerLines].map((line) => (line.startsWith('#') ? line : `# ${line}`));
  const out: string[] = [];
  flatten(render(value), '', '', out);
  return `${header.join('\n')}\n---\n${out.join('\n')}`;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The rendering of a value (its last line empty: YAML text ends in a newline). */
function render(value: unknown): Rendering {
  if (!isContainer(value)) return stringify(value, options).split('\n');
  const cached = rendered.get(value);
  if (cached !== undefined) return cached;
  const blocks: Rendering[] = [];
  const text = stringify(replaceLarge(value, blocks), options);
  const pieces = blocks.length > 0 ? splice(text, blocks) : text.split('\n');
  if (nodeCount(value) >= spliceThreshold) rendered.set(value, pieces);
  return pieces;
}

/** A copy where large, non-empty containers below the root are placeholders. */
function replaceLarge(value: object, blocks: Rendering[]): unknown {
  const visit = (node: unknown, root: boolean): unknown => {
    if (!isContainer(node)) return node;
    const empty = Array.isArray(node) ? node.length === 0 : Object.keys(node).length === 0;
    if (!root && !empty && nodeCount(node) >= spliceThreshold) {
      blocks.push(render(node));
      return `${nonce}${blocks.length - 1}`;
    }
    if (Array.isArray(node)) return node.map((item: unknown) => visit(item, false));
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, visit(child, false)]));
  };
  return visit(value, true);
}

/** Turns each placeholder line into a block placed where the placeholder stood. */
function splice(text: string, blocks: readonly Rendering[]): Piece[] {
  return text.split('\n').map((line): Piece => {
    const match = line.includes(nonce) ? placeholder.exec(line) : null;
    if (match === null) return line;
    const [, indent = '', dashes = '', key, index = '0'] = match;
    // Without its trailing newline: the block is part of a larger text.
    const block = (blocks[Number(index)] ?? []).slice(0, -1);
    const lead = `${indent}${dashes}`;
    // `key: <block>`: a block map or sequence two columns in; `- <block>`: the block's first
    // line follows the dash, the rest align with it.
    return key === undefined
      ? { head: undefined, lead, column: lead.length, block }
      : { head: `${lead}${key}:`, lead, column: lead.length + 2, block };
  });
}

/** Appends a rendering's lines: the first after `first`, the others after `rest`. */
function flatten(pieces: Rendering, first: string, rest: string, out: string[]): void {
  let prefix = first;
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out.push(piece === '' ? '' : `${prefix}${piece}`);
    } else if (piece.head !== undefined) {
      out.push(`${prefix}${piece.head}`);
      const inner = `${rest}${' '.repeat(piece.column)}`;
      flatten(piece.block, inner, inner, out);
    } else {
      flatten(piece.block, `${prefix}${piece.lead}`, `${rest}${' '.repeat(piece.column)}`, out);
    }
    prefix = rest;
  }
}
