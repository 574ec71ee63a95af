/**
 * Argument grammars of markers. Each grammar parses the text after the tag name into a typed
 * value or explains what is wrong; `syntax` is shown in diagnostics and in docs/markers.md.
 */
import type { JsonValue } from '../model/index.ts';

export type ArgumentResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string; readonly hint?: string };

export interface ArgumentGrammar<T> {
  /** e.g. `<number>`, `Namespaced|Cluster`, `name=<string> type=<type> ...`. Empty for flags. */
  readonly syntax: string;
  parse(text: string): ArgumentResult<T>;
}

const ok = <T>(value: T): ArgumentResult<T> => ({ ok: true, value });
const fail = <T>(message: string, hint?: string): ArgumentResult<T> =>
  hint === undefined ? { ok: false, message } : { ok: false, message, hint };

export const flag: ArgumentGrammar<true> = {
  syntax: '',
  parse: (text) => (text === '' ? ok(true) : fail(`takes no argument, got "${text}"`)),
};

export const number: ArgumentGrammar<number> = {
  syntax: '<number>',
  parse(text) {
    const value = Number(text);
    return text !== '' && Number.isFinite(value) ? ok(value) : fail(`expects a number, got "${text}"`);
  },
};

export const positiveNumber: ArgumentGrammar<number> = {
  syntax: '<number greater than 0>',
  parse(text) {
    const value = Number(text);
    return text !== '' && Number.isFinite(value) && value > 0
      ? ok(value)
      : fail(`expects a number greater than 0, got "${text}"`);
  },
};

export const count: ArgumentGrammar<number> = {
  syntax: '<non-negative integer>',
  parse(text) {
    const value = Number(text);
    return /^\d+$/.test(text) && Number.isSafeInteger(value)
      ? ok(value)
      : fail(`expects a non-negative integer, got "${text}"`);
  },
};

export function oneOf<const T extends string>(values: readonly T[]): ArgumentGrammar<T> {
  return {
    syntax: values.join('|'),
    parse: (text) =>
      (values as readonly string[]).includes(text)
        ? ok(text as T)
        : fail(`expects one of ${values.join(', ')}, got "${text}"`),
  };
}

/** A lowercase DNS label such as `backupschedules` or `bs`. */
export const dnsLabel: ArgumentGrammar<string> = {
  syntax: '<lowercase-name>',
  parse: (text) =>
    /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(text) && text.length <= 63
      ? ok(text)
      : fail(`expects a lowercase DNS label (a-z, 0-9, '-'), got "${text}"`),
};

export const identifier: ArgumentGrammar<string> = {
  syntax: '<field-name>',
  parse: (text) =>
    /^[A-Za-z_$][\w$-]*$/.test(text) ? ok(text) : fail(`expects a field name, got "${text}"`),
};

export const text: ArgumentGrammar<string> = {
  syntax: '<text>',
  parse: (value) => (value === '' ? fail('expects a value') : ok(value)),
};

export const optionalText: ArgumentGrammar<string | undefined> = {
  syntax: '[<text>]',
  parse: (value) => ok(value === '' ? undefined : value),
};

export const optionalBoolean: ArgumentGrammar<boolean> = {
  syntax: '[true|false]',
  parse: (value) =>
    value === '' || value === 'true'
      ? ok(true)
      : value === 'false'
        ? ok(false)
        : fail(`expects true or false, got "${value}"`),
};

/** A regular expression the API server (Go's RE2) can compile. */
export const regex: ArgumentGrammar<string> = {
  syntax: '<regular expression>',
  parse(value) {
    if (value === '') return fail('expects a regular expression');
    try {
      new RegExp(value, 'u');
    } catch (error) {
      return fail(`is not a valid regular expression: ${(error as Error).message}`);
    }
    if (/\(\?[=!<]|\\[1-9]/.test(value)) {
      return fail(
        'uses lookaround or backreferences, which the API server (RE2) rejects',
        'rewrite the pattern without (?=, (?!, (?<= , (?<! or \\1',
      );
    }
    return ok(value);
  },
};

/** A JSON value; a bare word that is not JSON is taken as a string. */
export const json: ArgumentGrammar<JsonValue> = {
  syntax: '<json>',
  parse(value) {
    if (value === '') return fail('expects a JSON value');
    try {
      return ok(JSON.parse(value) as JsonValue);
    } catch {
      if (/^[^\s"{}[\],:]+$/.test(value)) return ok(value);
      return fail(`is not valid JSON: ${value}`, 'quote strings: @default "a b"');
    }
  },
};

/**
 * `key=value` pairs separated by whitespace. Values are bare (up to the next whitespace),
 * `"double quoted"` with JSON escapes, or `'single quoted'` taken literally.
 */
export function parseKeyValues(input: string): ArgumentResult<ReadonlyMap<string, string>> {
  const pairs = new Map<string, string>();
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i] ?? '')) i++;
    if (i >= input.length) break;
    const key = /^[A-Za-z][\w-]*/.exec(input.slice(i))?.[0];
    if (key === undefined || input[i + key.length] !== '=') {
      return fail(`expects key=value pairs, got "${input.slice(i)}"`);
    }
    if (pairs.has(key)) return fail(`sets ${key} twice`);
    i += key.length + 1;
    const quote = input[i];
    let value: string;
    if (quote === '"') {
      const match = /^"(?:[^"\\]|\\.)*"/.exec(input.slice(i));
      if (!match) return fail(`has an unterminated quoted value for ${key}`);
      try {
        value = JSON.parse(match[0]) as string;
      } catch {
        return fail(`has an invalid escape in the value of ${key}`);
      }
      i += match[0].length;
    } else if (quote === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) return fail(`has an unterminated quoted value for ${key}`);
      value = input.slice(i + 1, end);
      i = end + 1;
    } else {
      const match = /^\S*/.exec(input.slice(i))?.[0] ?? '';
      value = match;
      i += match.length;
    }
    pairs.set(key, value);
  }
  return ok(pairs);
}

export interface KeySpec {
  readonly name: string;
  readonly required: boolean;
  readonly syntax: string;
}

/** A grammar of named arguments; `build` turns the validated pairs into the marker's value. */
export function keyValues<T>(
  keys: readonly KeySpec[],
  build: (pairs: ReadonlyMap<string, string>) => ArgumentResult<T>,
): ArgumentGrammar<T> {
  return {
    syntax: keys.map((k) => (k.required ? `${k.name}=${k.syntax}` : `[${k.name}=${k.syntax}]`)).join(' '),
    parse(input) {
      const parsed = parseKeyValues(input);
      if (!parsed.ok) return parsed;
      for (const key of parsed.value.keys()) {
        if (!keys.some((k) => k.name === key)) {
          return fail(`has an unknown argument ${key}`, `arguments: ${keys.map((k) => k.name).join(', ')}`);
        }
      }
      for (const key of keys) {
        if (key.required && !parsed.value.has(key.name)) return fail(`needs ${key.name}=${key.syntax}`);
      }
      return build(parsed.value);
    },
  };
}

/** A simple JSONPath to one field, such as `.spec.color` (no array notation). */
export const fieldPath: ArgumentGrammar<string> = {
  syntax: '<.json.path>',
  parse(value) {
    if (!value.startsWith('.')) return fail(`expects a JSONPath starting with ".", got "${value}"`);
    if (!/^(\.[A-Za-z0-9_-]+)+$/.test(value)) {
      return fail(
        `expects a simple path of field names such as .spec.color, got "${value}"`,
        'array notation ([...]) and wildcards are not allowed',
      );
    }
    return ok(value);
  },
};

export interface MetadataEntry {
  readonly key: string;
  readonly value: string;
}

const qualifiedName =
  /^(?:([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)\/)?([A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const labelValue = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `key` is not a Kubernetes label or annotation key (`[prefix/]name`), or `undefined`. */
export function qualifiedNameProblem(key: string): string | undefined {
  const match = qualifiedName.exec(key);
  if (!match) {
    return `key "${key}" is not [prefix/]name: a DNS subdomain prefix, and a name of letters, digits, '-', '_' and '.' that starts and ends with a letter or digit`;
  }
  if ((match[1] ?? '').length > 253) return `key "${key}" has a prefix longer than 253 characters`;
  if ((match[2] ?? '').length > 63) return `key "${key}" has a name longer than 63 characters`;
  return undefined;
}

/**
 * `<key>=<value>` for a label or annotation of the CRD object. The value may be quoted like
 * a key=value argument (`"a b"`, `'a b'`); label values are checked like the API server does.
 */
export function metadataEntry(kind: 'label' | 'annotation'): ArgumentGrammar<MetadataEntry> {
  return {
    syntax: '<key>=<value>',
    parse(text) {
      const equals = text.indexOf('=');
      if (equals <= 0) return fail(`expects <key>=<value>, got "${text}"`);
      const key = text.slice(0, equals);
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem !== undefined) return fail(keyProblem);
      const raw = text.slice(equals + 1);
      if (!/^["']/.test(raw) && /\s/.test(raw)) {
        return fail(`has a value with spaces for ${key}`, `quote it: ${key}="${raw}"`);
      }
      const parsed = parseKeyValues(`v=${raw}`);
      if (!parsed.ok) return fail(parsed.message.replace('for v', `for ${key}`));
      if (parsed.value.size !== 1) return fail(`has text after the quoted value of ${key}`);
      const value = parsed.value.get('v') ?? '';
      if (kind === 'label' && (value.length > 63 || !labelValue.test(value))) {
        return fail(
          `has an invalid label value "${value}" for ${key}`,
          "label values are at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        );
      }
      return ok({ key, value });
    },
  };
}

/** Splits a list argument (`a;b` or `a,b`); `""` stands for the empty string (the core group). */
export function splitList(value: string): readonly string[] {
  if (value === '') return [''];
  return value
    .split(/[;,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => (item === '""' || item === "''" ? '' : item));
}

export { ok as argumentOk, fail as argumentError };
