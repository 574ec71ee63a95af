/**
 * Checks a `@default` value against the schema of its field, the way the API server checks
 * defaults when the CRD is created: a default that does not validate makes the whole CRD
 * unacceptable, so it is a diagnostic at the marker instead.
 */
import type { JsonValue, Schema } from '../model/index.ts';

export function describeType(schema: Schema): string {
  if (schema['x-kubernetes-int-or-string']) return 'an int-or-string';
  if (schema.type === undefined) return 'an untyped value';
  return schema.type === 'integer' || schema.type === 'array' || schema.type === 'object'
    ? `an ${schema.type}`
    : `a ${schema.type}`;
}

function jsonType(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function article(type: string): string {
  return type === 'array' || type === 'object' ? 'an' : 'a';
}

/** Why `value` cannot be the default of `schema`, or `undefined` when it fits. */
export function defaultProblem(value: JsonValue, schema: Schema, path = ''): string | undefined {
  const at = path === '' ? '' : ` at ${path}`;
  const actual = jsonType(value);
  if (value === null) return schema.nullable ? undefined : `is null${at}, but the field is not nullable`;
  if (schema['x-kubernetes-int-or-string']) {
    return actual === 'string' || (typeof value === 'number' && Number.isInteger(value))
      ? undefined
      : `is not an integer or a string${at}`;
  }
  const expected = schema.type;
  if (expected === undefined) return undefined;
  const fits =
    expected === 'integer'
      ? typeof value === 'number' && Number.isInteger(value)
      : expected === 'number'
        ? actual === 'number'
        : expected === actual;
  if (!fits) return `is ${article(actual)} ${actual}${at}, but the field is ${describeType(schema)}`;
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return `is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}${at}`;
  }
  if (typeof value === 'number') return numberProblem(value, schema, at);
  if (typeof value === 'string') return stringProblem(value, schema, at);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      return `has fewer than ${schema.minItems} items${at}`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      return `has more than ${schema.maxItems} items${at}`;
    for (const [index, item] of (value as readonly JsonValue[]).entries()) {
      const problem = schema.items && defaultProblem(item, schema.items, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  return objectProblem(value as Readonly<Record<string, JsonValue>>, schema, path);
}

function numberProblem(value: number, schema: Schema, at: string): string | undefined {
  if (
    schema.minimum !== undefined &&
    (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)
  ) {
    return `is below the minimum ${schema.minimum}${at}`;
  }
  if (
    schema.maximum !== undefined &&
    (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)
  ) {
    return `is above the maximum ${schema.maximum}${at}`;
  }
  if (schema.multipleOf !== undefined && !Number.isInteger(value / schema.multipleOf)) {
    return `is not a multiple of ${schema.multipleOf}${at}`;
  }
  return undefined;
}

function stringProblem(value: string, schema: Schema, at: string): string | undefined {
  if (schema.minLength !== undefined && value.length < schema.minLength)
    return `is shorter than ${schema.minLength}${at}`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    return `is longer than ${schema.maxLength}${at}`;
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    return `does not match the pattern ${schema.pattern}${at}`;
  }
  return undefined;
}

function objectProblem(
  value: Readonly<Record<string, JsonValue>>,
  schema: Schema,
  path: string,
): string | undefined {
  const at = path === '' ? '' : ` at ${path}`;
  for (const key of schema.required ?? []) {
    // The API server defaults inside default values too, so a defaulted field may be left out.
    if (!(key in value) && schema.properties?.[key]?.default === undefined) {
      return `misses the required field ${key}${at}`;
    }
  }
  for (const [key, item] of Object.entries(value)) {
    const child = schema.properties?.[key] ?? schema.additionalProperties;
    const childPath = path === '' ? key : `${path}.${key}`;
    if (child === undefined) {
      if (schema['x-kubernetes-preserve-unknown-fields']) continue;
      return `sets ${childPath}, which the type does not declare`;
    }
    const problem = defaultProblem(item, child, childPath);
    if (problem) return problem;
  }
  return undefined;
}
