/**
 * Turns the tags of one doc comment into a {@link MarkerSet}: known markers are parsed by
 * their grammar; misuse (wrong place, repeated, bad argument, a likely typo) is reported
 * through `report` with the tag's offset. Tags that are not markers (`@see`, `@example`, ...)
 * are documentation and left alone.
 */
import type { DocComment, DocTag } from './doc-comment.ts';
import {
  isMarkerName,
  markerDefinitions,
  type MarkerDefinition,
  type MarkerName,
  type MarkerTarget,
  type MarkerValue,
} from './definitions.ts';

interface Occurrence {
  readonly value: unknown;
  readonly offset: number;
}

/** The validated markers of one declaration. */
export class MarkerSet {
  readonly #markers: ReadonlyMap<MarkerName, readonly Occurrence[]>;

  constructor(markers: ReadonlyMap<MarkerName, readonly Occurrence[]> = new Map()) {
    this.#markers = markers;
  }

  static readonly empty = new MarkerSet();

  has(name: MarkerName): boolean {
    return this.#markers.has(name);
  }

  get<N extends MarkerName>(name: N): MarkerValue<N> | undefined {
    return this.#markers.get(name)?.[0]?.value as MarkerValue<N> | undefined;
  }

  getAll<N extends MarkerName>(name: N): readonly MarkerValue<N>[] {
    return (this.#markers.get(name) ?? []).map((o) => o.value as MarkerValue<N>);
  }

  /** Every occurrence of a marker with its tag's source offset, in source order. */
  occurrences<N extends MarkerName>(
    name: N,
  ): readonly { readonly value: MarkerValue<N>; readonly offset: number }[] {
    return (this.#markers.get(name) ?? []).map((o) => ({
      value: o.value as MarkerValue<N>,
      offset: o.offset,
    }));
  }

  /** Source offset of the (first) tag of a marker. */
  offsetOf(name: MarkerName): number | undefined {
    return this.#markers.get(name)?.[0]?.offset;
  }

  get names(): readonly MarkerName[] {
    return [...this.#markers.keys()];
  }

  /** This set with `other`'s markers added; `other` wins for non-repeatable markers. */
  overriddenBy(other: MarkerSet): MarkerSet {
    if (other.#markers.size === 0) return this;
    if (this.#markers.size === 0) return other;
    const merged = new Map(this.#markers);
    for (const [name, occurrences] of other.#markers) {
      const definition: MarkerDefinition<unknown> = markerDefinitions[name];
      merged.set(name, definition.repeatable ? [...(merged.get(name) ?? []), ...occurrences] : occurrences);
    }
    return new MarkerSet(merged);
  }
}

export type MarkerProblemReporter = (
  offset: number,
  severity: 'error' | 'warning',
  code: string,
  message: string,
  hint?: string,
) => void;

/** JSDoc/TSDoc tags that document code and are never markers. */
const documentationTags = new Set([
  'see',
  'example',
  'remarks',
  'internal',
  'param',
  'returns',
  'return',
  'throws',
  'since',
  'todo',
  'link',
  'author',
  'version',
  'beta',
  'alpha',
  'experimental',
  'public',
  'private',
  'packageDocumentation',
  'module',
  'type',
  'typedef',
  'template',
  'inheritDoc',
  'override',
  'readonly',
  'defaultValue',
  'title',
  'description',
  'examples',
  'category',
  'hidden',
  'ignore',
]);

const targetNames: Record<MarkerTarget, string> = {
  resource: '@resource interfaces',
  field: 'fields and the types they use',
  controller: 'comments in src/controllers/**',
};

/**
 * Validates `tags` for a declaration accepting markers of `targets`. `@deprecated` on a field
 * is JSDoc's, not the resource marker, and is ignored there.
 */
export function collectMarkers(
  tags: readonly DocTag[],
  targets: readonly MarkerTarget[],
  report: MarkerProblemReporter,
): MarkerSet {
  const found = new Map<MarkerName, Occurrence[]>();
  for (const tag of tags) {
    if (!isMarkerName(tag.name)) {
      if (documentationTags.has(tag.name)) continue;
      const suggestion = closestMarker(tag.name);
      if (suggestion !== undefined) {
        report(
          tag.offset,
          'warning',
          'unknown-marker',
          `unknown marker @${tag.name}; it is ignored`,
          `did you mean @${suggestion}?`,
        );
      }
      continue;
    }
    const definition: MarkerDefinition<unknown> = markerDefinitions[tag.name];
    if (!targets.includes(definition.target)) {
      if (tag.name === 'deprecated' || (tag.name === 'category' && !targets.includes('resource'))) continue;
      report(
        tag.offset,
        'warning',
        'misplaced-marker',
        `@${tag.name} applies to ${targetNames[definition.target]}; it is ignored here`,
      );
      continue;
    }
    const parsed = definition.grammar.parse(tag.text);
    if (!parsed.ok) {
      report(
        tag.offset,
        'error',
        'invalid-marker',
        `@${tag.name} ${parsed.message}`,
        parsed.hint ??
          `syntax: @${tag.name}${definition.grammar.syntax ? ` ${definition.grammar.syntax}` : ''}`,
      );
      continue;
    }
    const existing = found.get(tag.name);
    if (existing && !definition.repeatable) {
      report(tag.offset, 'error', 'duplicate-marker', `@${tag.name} is given more than once`, 'keep one');
      continue;
    }
    if (existing) existing.push({ value: parsed.value, offset: tag.offset });
    else found.set(tag.name, [{ value: parsed.value, offset: tag.offset }]);
  }
  return found.size === 0 ? MarkerSet.empty : new MarkerSet(found);
}

/**
 * Reports the lines of `doc` where a marker follows other text (`@minimum 0 @maximum 100`,
 * `The body. @maxLength 10000`): a tag starts only at the beginning of a line, so such a
 * marker is part of the text before it and would be ignored or spoil that tag's value. One
 * error per line, at the first misplaced marker, with the line split as it should be.
 * `isRelevant` picks the marker names to look for (all markers by default); a marker counts
 * only when the text after it is a valid value for it, so prose that names one is left alone.
 *
 * Returns the tags whose values such a line is part of: leave them out of
 * {@link collectMarkers}, whose complaint about their value would only repeat this one.
 */
export function checkTagLines(
  doc: DocComment,
  report: MarkerProblemReporter,
  isRelevant: (name: MarkerName) => boolean = () => true,
): ReadonlySet<DocTag> {
  const spoiled = new Set<DocTag>();
  for (const line of doc.crowdedLines) {
    if (line.tag !== undefined && documentationTags.has(line.tag.name)) continue;
    // Prose that names a marker ("turns the @rbac tags below into rules") is left alone: only
    // a marker followed by a value its grammar accepts counts as a misplaced tag.
    const markers = line.names.filter((name, i) => {
      if (!isMarkerName(name) || !isRelevant(name)) return false;
      const definition: MarkerDefinition<unknown> = markerDefinitions[name];
      const value = (line.parts[i + 1] ?? '').slice(name.length + 1).trim();
      return definition.grammar.parse(value).ok;
    });
    if (markers.length === 0) continue;
    const listed = markers.map((name) => `@${name}`);
    const misplaced =
      listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
    const verb = listed.length === 1 ? 'is' : 'are';
    const where =
      line.tag === undefined
        ? `${misplaced} ${verb} read as part of the description and ignored`
        : `${misplaced} ${verb} read as part of the value of @${line.tag.name}`;
    if (line.tag !== undefined) spoiled.add(line.tag);
    report(
      line.offset,
      'error',
      'tags-on-one-line',
      `${where}: each tag must start its own line`,
      `write the line as\n${line.parts.map((part) => `         * ${part}`).join('\n')}`,
    );
  }
  return spoiled;
}

/** A marker name within two edits of `name` (case-insensitive), if any. */
function closestMarker(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of Object.keys(markerDefinitions)) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
