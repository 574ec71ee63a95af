/**
 * The label selector string grammar (apimachinery's labels.Parse):
 *
 *   selector    := '' | requirement (',' requirement)*
 *   requirement := ['!'] key
 *                | key ('=' | '==' | '!=' | '>' | '<') [value]
 *                | key ('in' | 'notin') '(' [value (',' [value])*] ')'
 *
 * Whitespace separates tokens and is otherwise ignored; `a=`, `a in ()` and `a in (x,)` name
 * the empty value. Errors carry the 0-based position of the offending token.
 */
import {
  createRequirement,
  createSelector,
  LabelSelectorError,
  type Requirement,
  type Selector,
  type SelectorOperator,
} from './label-selector.ts';

type TokenKind = 'identifier' | '=' | '==' | '!=' | '!' | '>' | '<' | '(' | ')' | ',' | 'end' | 'error';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly position: number;
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SYMBOLS: readonly TokenKind[] = ['==', '!=', '=', '!', '>', '<', '(', ')', ','];

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (SPECIAL.has(ch)) {
      const symbol = SYMBOLS.find((s) => input.startsWith(s, i));
      // Every special character starts some symbol, so `symbol` is always found.
      const kind: TokenKind = symbol ?? 'error';
      tokens.push({ kind, text: kind === 'error' ? ch : kind, position: i });
      i += kind === 'error' ? 1 : kind.length;
      continue;
    }
    const start = i;
    while (i < input.length && !isSpace(input[i] ?? '') && !SPECIAL.has(input[i] ?? '')) i++;
    tokens.push({ kind: 'identifier', text: input.slice(start, i), position: start });
  }
  tokens.push({ kind: 'end', text: '', position: input.length });
  return tokens;
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'end of string' : `'${token.text}'`;
}

class Parser {
  readonly #input: string;
  readonly #tokens: Token[];
  #index = 0;

  constructor(input: string) {
    this.#input = input;
    this.#tokens = tokenize(input);
  }

  #peek(): Token {
    // The token list always ends with an 'end' token, which #next never moves past.
    return this.#tokens[this.#index] ?? { kind: 'end', text: '', position: this.#input.length };
  }

  #next(): Token {
    const token = this.#peek();
    if (this.#index < this.#tokens.length - 1) this.#index++;
    return token;
  }

  #fail(token: Token, expected: string): never {
    throw new LabelSelectorError('InvalidSyntax', `found ${describe(token)}, expected ${expected}`, {
      selector: this.#input,
      position: token.position,
    });
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    if (this.#peek().kind === 'end') return requirements;
    for (;;) {
      const start = this.#peek();
      if (start.kind !== 'identifier' && start.kind !== '!') this.#fail(start, `'!' or a label key`);
      requirements.push(this.#requirement());
      const after = this.#next();
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',') this.#fail(after, `',' or end of string`);
      const following = this.#peek();
      if (following.kind !== 'identifier' && following.kind !== '!') {
        this.#fail(following, `'!' or a label key after ','`);
      }
    }
  }

  #requirement(): Requirement {
    let negated = false;
    let keyToken = this.#next();
    if (keyToken.kind === '!') {
      negated = true;
      keyToken = this.#next();
    }
    if (keyToken.kind !== 'identifier') this.#fail(keyToken, 'a label key');
    const key = keyToken.text;
    const source = { selector: this.#input, keyPosition: keyToken.position };
    const lookahead = this.#peek();
    if (negated || lookahead.kind === ',' || lookahead.kind === 'end') {
      return createRequirement(key, negated ? '!' : 'exists', [], source);
    }
    const operator = this.#operator();
    const values = operator === 'in' || operator === 'notin' ? this.#valueSet() : [this.#exactValue()];
    return createRequirement(
      key,
      operator,
      values.map((v) => v.text),
      { ...source, valuePositions: values.map((v) => v.position) },
    );
  }

  #operator(): SelectorOperator {
    const token = this.#next();
    switch (token.kind) {
      case '=':
      case '==':
      case '!=':
        return token.kind;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      case 'identifier':
        if (token.text === 'in' || token.text === 'notin') return token.text;
        break;
      default:
        break;
    }
    return this.#fail(token, `an operator: '=', '==', '!=', 'in', 'notin', '>' or '<'`);
  }

  #exactValue(): { readonly text: string; readonly position: number } {
    const token = this.#peek();
    if (token.kind === 'end' || token.kind === ',') return { text: '', position: token.position };
    if (token.kind !== 'identifier') this.#fail(token, 'a value');
    this.#next();
    return { text: token.text, position: token.position };
  }

  #valueSet(): { readonly text: string; readonly position: number }[] {
    const open = this.#next();
    if (open.kind !== '(') this.#fail(open, `'(' to start the list of values`);
    const values: { text: string; position: number }[] = [];
    let expectValue = true;
    for (;;) {
      const token = this.#peek();
      if (token.kind === ')') {
        // `()` and a trailing `,` stand for the empty value, as in apimachinery.
        if (expectValue) values.push({ text: '', position: token.position });
        this.#next();
        return values;
      }
      if (token.kind === ',') {
        if (expectValue) values.push({ text: '', position: token.position });
        expectValue = true;
        this.#next();
        continue;
      }
      if (token.kind === 'identifier' && expectValue) {
        values.push({ text: token.text, position: token.position });
        expectValue = false;
        this.#next();
        continue;
      }
      this.#fail(token, expectValue ? `a value, ',' or ')'` : `',' or ')'`);
    }
  }
}

/**
 * Parses a selector string such as `app=web,tier in (frontend,backend),!canary`. Throws a
 * {@link LabelSelectorError} naming the position of bad syntax, or the invalid key or value.
 */
export function parseSelector(input: string): Selector {
  return createSelector(new Parser(input).parse());
}

/** Accepts a selector string (parsed) or an already parsed selector. */
export function toSelector(input: string | Selector | undefined): Selector {
  if (input === undefined) return createSelector([]);
  return typeof input === 'string' ? parseSelector(input) : input;
}
