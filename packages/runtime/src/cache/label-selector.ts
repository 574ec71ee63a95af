/**
 * Label selectors with apimachinery's semantics: the model (requirements ANDed together),
 * matching, the canonical string form sent to the API server, and conversion to and from the
 * structured `metav1.LabelSelector`. The string grammar is parsed by {@link parseSelector}
 * (label-selector-parser.ts); the same {@link Selector} filters server-side (its `toString()`)
 * and in the cache (`matches`).
 */
import type { LabelSelector, LabelSelectorRequirement } from '../api/index.ts';
import { labelKeyProblems, labelValueProblems } from './validation.ts';

/**
 * Operators, spelled as in selector strings: `=`/`==` (equal), `!=` (absent or different),
 * `in`, `notin` (absent or not in the set), `exists` (`key`), `!` (`!key`), and `gt`/`lt`
 * (`key>1`, `key<1`: the value, parsed as an integer, compares greater/less).
 */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One condition on one label. `values` are sorted and distinct. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

/** Requirements that must all hold (an empty selector matches everything). */
export interface Selector {
  readonly requirements: readonly Requirement[];
  /** `true` for the selector that matches no object at all (from a missing `metav1.LabelSelector`). */
  readonly matchesNothing: boolean;
  matches(labels: Labels | undefined): boolean;
  /** `true` when the selector matches everything. */
  isEmpty(): boolean;
  /** The canonical string form, accepted by the API server and by {@link parseSelector}. */
  toString(): string;
}

export type LabelSelectorErrorReason =
  'InvalidSyntax' | 'InvalidKey' | 'InvalidValue' | 'InvalidRequirement' | 'Unsupported';

/**
 * A malformed selector. `position` is the 0-based offset in `selector` where parsing failed
 * (syntax errors) or where the offending key/value starts; the message shows it with a caret.
 */
export class LabelSelectorError extends Error {
  override readonly name = 'LabelSelectorError';
  readonly reason: LabelSelectorErrorReason;
  readonly selector: string | undefined;
  readonly position: number | undefined;

  constructor(
    reason: LabelSelectorErrorReason,
    detail: string,
    where: { readonly selector?: string; readonly position?: number } = {},
  ) {
    const { selector, position } = where;
    let message = `invalid label selector`;
    if (selector !== undefined) message += ` ${JSON.stringify(selector)}`;
    if (position !== undefined) message += ` at position ${position}`;
    message += `: ${detail}`;
    if (selector !== undefined && position !== undefined) {
      message += `\n  ${selector}\n  ${' '.repeat(position)}^`;
    }
    super(message);
    this.reason = reason;
    this.selector = selector;
    this.position = position;
  }
}

const OPERATOR_TEXT: Readonly<Record<SelectorOperator, string>> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  exists: '',
  '!': '',
  gt: '>',
  lt: '<',
};

/** Where a requirement's key and values start in a selector string, to point errors at them. */
export interface RequirementSource {
  readonly selector: string;
  readonly keyPosition: number;
  readonly valuePositions?: readonly number[];
}

/**
 * Builds a validated requirement (apimachinery's NewRequirement): the key must be a qualified
 * name, values valid label values; `in`/`notin` need at least one value, `=`/`==`/`!=`/`gt`/
 * `lt` exactly one (an integer for `gt`/`lt`), `exists`/`!` none.
 */
export function createRequirement(
  key: string,
  operator: SelectorOperator,
  values: readonly string[] = [],
  source?: RequirementSource,
): Requirement {
  const at = (position: number | undefined) =>
    source === undefined
      ? {}
      : position === undefined
        ? { selector: source.selector }
        : { selector: source.selector, position };
  const keyProblems = labelKeyProblems(key);
  if (keyProblems.length > 0) {
    throw new LabelSelectorError(
      'InvalidKey',
      `invalid label key ${JSON.stringify(key)}: ${keyProblems.join('; ')}`,
      at(source?.keyPosition),
    );
  }
  const count = values.length;
  switch (operator) {
    case 'in':
    case 'notin':
      if (count === 0) {
        throw new LabelSelectorError(
          'InvalidRequirement',
          `'${operator}' needs at least one value for key ${JSON.stringify(key)}`,
          at(source?.keyPosition),
        );
      }
      break;
    case '=':
    case '==':
    case '!=':
    case 'gt':
    case 'lt':
      if (count !== 1) {
        throw new LabelSelectorError(
          'InvalidRequirement',
          `'${operator}' needs exactly one value for key ${JSON.stringify(key)}, got ${count}`,
          at(source?.keyPosition),
        );
      }
      if ((operator === 'gt' || operator === 'lt') && !/^[-+]?\d+$/.test(values[0] ?? '')) {
        throw new LabelSelectorError(
          'InvalidValue',
          `'${OPERATOR_TEXT[operator]}' compares integers: ${JSON.stringify(values[0])} is not an integer`,
          at(source?.valuePositions?.[0]),
        );
      }
      break;
    case 'exists':
    case '!':
      if (count !== 0) {
        throw new LabelSelectorError(
          'InvalidRequirement',
          `'${operator}' takes no values for key ${JSON.stringify(key)}`,
          at(source?.keyPosition),
        );
      }
      break;
    default:
      throw new LabelSelectorError('InvalidRequirement', `unknown operator ${JSON.stringify(operator)}`);
  }
  values.forEach((value, i) => {
    const problems = labelValueProblems(value);
    if (problems.length > 0) {
      throw new LabelSelectorError(
        'InvalidValue',
        `invalid value ${JSON.stringify(value)} for key ${JSON.stringify(key)}: ${problems.join('; ')}`,
        at(source?.valuePositions?.[i]),
      );
    }
  });
  return Object.freeze({ key, operator, values: Object.freeze([...new Set(values)].sort()) });
}

/** Whether one requirement holds for `labels`. */
export function requirementMatches(req: Requirement, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.operator) {
    case '=':
    case '==':
    case 'in':
      return value !== undefined && req.values.includes(value);
    case '!=':
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (value === undefined || !/^[-+]?\d+$/.test(value)) return false;
      const actual = BigInt(value);
      const bound = BigInt(req.values[0] ?? '0');
      return req.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

export function requirementToString(req: Requirement): string {
  switch (req.operator) {
    case 'exists':
      return req.key;
    case '!':
      return `!${req.key}`;
    case 'in':
    case 'notin':
      return `${req.key}${OPERATOR_TEXT[req.operator]}(${req.values.join(',')})`;
    default:
      return `${req.key}${OPERATOR_TEXT[req.operator]}${req.values[0] ?? ''}`;
  }
}

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];
  readonly matchesNothing: boolean;
  readonly #text: string;

  constructor(requirements: readonly Requirement[], matchesNothing: boolean) {
    // Sorted by key like apimachinery, so equal selectors print (and share informers) equally.
    this.requirements = Object.freeze(
      [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    );
    this.matchesNothing = matchesNothing;
    this.#text = this.requirements.map(requirementToString).join(',');
  }

  matches(labels: Labels | undefined): boolean {
    if (this.matchesNothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  isEmpty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  toString(): string {
    return this.#text;
  }
}

/** A selector of the given requirements, all of which must hold. */
export function createSelector(requirements: readonly Requirement[]): Selector {
  return new RequirementsSelector(requirements, false);
}

const EVERYTHING = createSelector([]);
const NOTHING: Selector = new RequirementsSelector([], true);

/** The selector that matches every object (the empty string). */
export function everything(): Selector {
  return EVERYTHING;
}

/** The selector that matches no object. It cannot be sent to a server (it prints as `''`). */
export function nothing(): Selector {
  return NOTHING;
}

/** `key1=value1,key2=value2`: objects carrying all these labels. Validates keys and values. */
export function selectorFromSet(labels: Labels): Selector {
  return createSelector(Object.entries(labels).map(([k, v]) => createRequirement(k, '=', [v])));
}

const STRUCTURED_OPERATORS: Readonly<Record<string, SelectorOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Converts a structured `metav1.LabelSelector` (apimachinery's LabelSelectorAsSelector): an
 * empty one matches everything; a missing one (`undefined`/`null`) matches nothing, as the
 * API defines it for e.g. a PodDisruptionBudget without a selector.
 */
export function selectorFromLabelSelector(selector: LabelSelector | null | undefined): Selector {
  if (selector === undefined || selector === null) return NOTHING;
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push(createRequirement(key, '=', [value]));
  }
  (selector.matchExpressions ?? []).forEach((expr: LabelSelectorRequirement, i) => {
    const operator = STRUCTURED_OPERATORS[expr.operator];
    if (operator === undefined) {
      throw new LabelSelectorError(
        'InvalidRequirement',
        `matchExpressions[${i}].operator ${JSON.stringify(expr.operator)} is not one of In, NotIn, Exists, DoesNotExist`,
      );
    }
    requirements.push(createRequirement(expr.key, operator, expr.values ?? []));
  });
  return createSelector(requirements);
}

/**
 * Converts to a structured `metav1.LabelSelector`: `=`/`==` go to matchLabels (a second
 * equality on the same key becomes an `In` expression), `!=` becomes `NotIn`. Throws
 * `Unsupported` for `gt`/`lt` and for the match-nothing selector, which have no structured form.
 */
export function selectorToLabelSelector(selector: Selector): LabelSelector {
  if (selector.matchesNothing) {
    throw new LabelSelectorError(
      'Unsupported',
      'the match-nothing selector has no metav1.LabelSelector form',
    );
  }
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const req of selector.requirements) {
    const values = [...req.values];
    switch (req.operator) {
      case '=':
      case '==':
        if (Object.hasOwn(matchLabels, req.key))
          matchExpressions.push({ key: req.key, operator: 'In', values });
        else matchLabels[req.key] = values[0] ?? '';
        break;
      case '!=':
      case 'notin':
        matchExpressions.push({ key: req.key, operator: 'NotIn', values });
        break;
      case 'in':
        matchExpressions.push({ key: req.key, operator: 'In', values });
        break;
      case 'exists':
        matchExpressions.push({ key: req.key, operator: 'Exists' });
        break;
      case '!':
        matchExpressions.push({ key: req.key, operator: 'DoesNotExist' });
        break;
      case 'gt':
      case 'lt':
        throw new LabelSelectorError(
          'Unsupported',
          `${JSON.stringify(requirementToString(req))}: '${OPERATOR_TEXT[req.operator]}' has no metav1.LabelSelector form`,
        );
    }
  }
  const result: LabelSelector = {};
  if (Object.keys(matchLabels).length > 0) result.matchLabels = matchLabels;
  if (matchExpressions.length > 0) result.matchExpressions = matchExpressions;
  return result;
}
